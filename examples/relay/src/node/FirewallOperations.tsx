// The Node-based variant of FirewallCard's operations: a fragment on Firewall that pages its own
// flow operations, refetched through `Query.node(id:)`. Needs Firewall to implement Node (see
// node/FlowOperationFlows.tsx for when this folder is compiled).
import { graphql, usePaginationFragment } from 'react-relay';
import type { FirewallOperations_firewall$key } from '../__generated__/FirewallOperations_firewall.graphql';

export function FirewallOperations({ firewall }: { firewall: FirewallOperations_firewall$key }) {
  const { data, hasNext, loadNext } = usePaginationFragment(
    graphql`
      fragment FirewallOperations_firewall on Firewall
      @refetchable(queryName: "FirewallOperationsPaginationQuery")
      @argumentDefinitions(
        availabilityZone: { type: "String" }
        count: { type: "Int", defaultValue: 20 }
        cursor: { type: "String" }
      ) {
        firewallName
        flowOperations(availabilityZone: $availabilityZone, first: $count, after: $cursor)
          @connection(key: "FirewallOperations_flowOperations", filters: ["availabilityZone"]) {
          edges {
            node {
              flowOperationId
              flowOperationStatus
            }
          }
        }
      }
    `,
    firewall,
  );
  return (
    <section>
      <h3>{data.firewallName}</h3>
      <ul>
        {data.flowOperations?.edges.map(({ node }) => (
          <li key={node.flowOperationId}>{node.flowOperationStatus}</li>
        ))}
      </ul>
      {hasNext && <button onClick={() => loadNext(20)}>Older operations</button>}
    </section>
  );
}
