// The flows a capture found, 50 at a time. The connection sits under `flowOperation`, a singular
// field, which `usePaginationFragment` follows; rooting the fragment on Query keeps `@refetchable`
// free of the Node interface (src/node/ has the Node-based variant).
import { graphql, useLazyLoadQuery, usePaginationFragment } from 'react-relay';
import type { CaptureFlows_query$key } from './__generated__/CaptureFlows_query.graphql';
import type { CaptureScreenQuery } from './__generated__/CaptureScreenQuery.graphql';

export function CaptureScreen(props: {
  firewallArn: string;
  availabilityZone: string;
  flowOperationId: string;
}) {
  const query = useLazyLoadQuery<CaptureScreenQuery>(
    graphql`
      query CaptureScreenQuery(
        $firewallArn: String!
        $availabilityZone: String
        $flowOperationId: ID!
      ) {
        ...CaptureFlows_query
          @arguments(
            firewallArn: $firewallArn
            availabilityZone: $availabilityZone
            flowOperationId: $flowOperationId
          )
      }
    `,
    props,
  );
  return <CaptureFlows query={query} />;
}

export function CaptureFlows({ query }: { query: CaptureFlows_query$key }) {
  const { data, hasNext, isLoadingNext, loadNext } = usePaginationFragment(
    graphql`
      fragment CaptureFlows_query on Query
      @refetchable(queryName: "CaptureFlowsPaginationQuery")
      @argumentDefinitions(
        firewallArn: { type: "String!" }
        availabilityZone: { type: "String" }
        flowOperationId: { type: "ID!" }
        count: { type: "Int", defaultValue: 50 }
        cursor: { type: "String" }
      ) {
        flowOperation(
          firewallArn: $firewallArn
          availabilityZone: $availabilityZone
          flowOperationId: $flowOperationId
        ) {
          flowOperationStatus
          flows(first: $count, after: $cursor) @connection(key: "CaptureFlows_flows") {
            edges {
              cursor
              node {
                sourceAddress {
                  addressDefinition
                }
                destinationAddress {
                  addressDefinition
                }
                destinationPort
                protocol
                byteCount
              }
            }
          }
        }
      }
    `,
    query,
  );
  // `flows` is null when its AWS call failed (the error is at its path); the rest still renders.
  const flows = data.flowOperation?.flows?.edges ?? [];
  return (
    <table>
      <tbody>
        {flows.map(({ cursor, node }) => (
          <tr key={cursor}>
            <td>{node.sourceAddress?.addressDefinition}</td>
            <td>{node.destinationAddress?.addressDefinition}</td>
            <td>{node.destinationPort}</td>
            <td>{node.protocol}</td>
            <td>{node.byteCount}</td>
          </tr>
        ))}
      </tbody>
      {hasNext && (
        <tfoot>
          <tr>
            <td>
              <button disabled={isLoadingNext} onClick={() => loadNext(50)}>
                More flows
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
