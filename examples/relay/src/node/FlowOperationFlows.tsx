// The Node-based variant of CaptureFlows: a fragment on FlowOperation itself, refetched through
// `Query.node(id:)`, so any screen that shows an operation can page its flows. Compiled only
// against a schema where FlowOperation implements Node (scripts/relay-example.mjs skips this
// folder otherwise, and test/examples/relay.test.ts compiles it against a schema with Node).
import { graphql, usePaginationFragment } from 'react-relay';
import type { FlowOperationFlows_flowOperation$key } from '../__generated__/FlowOperationFlows_flowOperation.graphql';

export function FlowOperationFlows({
  flowOperation,
}: {
  flowOperation: FlowOperationFlows_flowOperation$key;
}) {
  const { data, hasNext, loadNext } = usePaginationFragment(
    graphql`
      fragment FlowOperationFlows_flowOperation on FlowOperation
      @refetchable(queryName: "FlowOperationFlowsPaginationQuery")
      @argumentDefinitions(count: { type: "Int", defaultValue: 50 }, cursor: { type: "String" }) {
        flowOperationId
        flows(first: $count, after: $cursor) @connection(key: "FlowOperationFlows_flows") {
          edges {
            node {
              sourceAddress {
                addressDefinition
              }
              destinationPort
              byteCount
            }
          }
        }
      }
    `,
    flowOperation,
  );
  return (
    <section>
      <p>
        {data.flowOperationId}: {data.flows?.edges.length ?? 0} flows
      </p>
      {hasNext && <button onClick={() => loadNext(50)}>More flows</button>}
    </section>
  );
}
