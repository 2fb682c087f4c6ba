// Starts a capture and puts it at the head of the operation lists on screen: `@prependNode` adds
// the returned operation to each connection named in `connections` (their `__id`, selected in
// FirewallCard and FlowOperationList), without refetching them.
import { graphql, useMutation } from 'react-relay';
import type { StartCaptureMutation } from './__generated__/StartCaptureMutation.graphql';

export function useStartCapture(): (
  firewallArn: string,
  availabilityZone: string,
  connections: string[],
) => void {
  const [commit] = useMutation<StartCaptureMutation>(graphql`
    mutation StartCaptureMutation($input: StartFlowOperationInput!, $connections: [ID!]!) {
      startFlowCapture(input: $input)
        @prependNode(connections: $connections, edgeTypeName: "FlowOperationEdge") {
        flowOperationId
        flowOperationType
        flowOperationStatus
        flowRequestTimestamp
      }
    }
  `);
  return (firewallArn, availabilityZone, connections) =>
    commit({
      variables: {
        input: { firewallArn, availabilityZone, flowFilters: [{ destinationPort: '443' }] },
        connections,
      },
    });
}
