// One firewall and its newest flow operations. The operations are a `@connection`, so a
// mutation can add a started operation to it with `@prependNode` (see StartCapture.tsx).
// This fragment cannot paginate on its own yet: `@refetchable` on a fragment of `Firewall`
// needs `Firewall` to implement `Node` (follow-up in README.md).
import { graphql, useFragment } from 'react-relay';
import type { FirewallCard_firewall$key } from './__generated__/FirewallCard_firewall.graphql';

export function FirewallCard({ firewall }: { firewall: FirewallCard_firewall$key }) {
  const data = useFragment(
    graphql`
      fragment FirewallCard_firewall on Firewall {
        firewallArn
        firewallName
        region
        availabilityZones
        status
        flowOperations(first: 5) @connection(key: "FirewallCard_flowOperations") {
          __id
          edges {
            node {
              flowOperationId
              flowOperationType
              flowOperationStatus
            }
          }
        }
      }
    `,
    firewall,
  );
  return (
    <article>
      <h2>
        {data.firewallName} ({data.region}, {data.status})
      </h2>
      <p>Zones: {data.availabilityZones?.join(', ') ?? 'unavailable'}</p>
      <ul>
        {data.flowOperations?.edges.map(({ node }) => (
          <li key={node.flowOperationId}>
            {node.flowOperationType} {node.flowOperationId}: {node.flowOperationStatus}
          </li>
        ))}
      </ul>
    </article>
  );
}
