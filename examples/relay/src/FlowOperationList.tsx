// The flow operations of one firewall zone, newest first, with a "more" button. Rooted on Query
// (the list's arguments are the fragment's), so `@refetchable` works without a Node interface.
// `filters` keys the connection on the zone and type: each filter combination is its own list in
// the store, as each is its own list in the gateway (a cursor of one is refused by another).
import { graphql, useLazyLoadQuery, usePaginationFragment } from 'react-relay';
import type { FlowOperationList_query$key } from './__generated__/FlowOperationList_query.graphql';
import type { FlowOperationsScreenQuery } from './__generated__/FlowOperationsScreenQuery.graphql';

export function FlowOperationsScreen(props: { firewallArn: string; availabilityZone: string }) {
  const query = useLazyLoadQuery<FlowOperationsScreenQuery>(
    graphql`
      query FlowOperationsScreenQuery($firewallArn: String!, $availabilityZone: String) {
        ...FlowOperationList_query
          @arguments(firewallArn: $firewallArn, availabilityZone: $availabilityZone)
      }
    `,
    props,
  );
  return <FlowOperationList query={query} />;
}

export function FlowOperationList({ query }: { query: FlowOperationList_query$key }) {
  const { data, hasNext, isLoadingNext, loadNext } = usePaginationFragment(
    graphql`
      fragment FlowOperationList_query on Query
      @refetchable(queryName: "FlowOperationListPaginationQuery")
      @argumentDefinitions(
        firewallArn: { type: "String!" }
        availabilityZone: { type: "String" }
        flowOperationType: { type: "FlowOperationType" }
        count: { type: "Int", defaultValue: 20 }
        cursor: { type: "String" }
      ) {
        flowOperations(
          firewallArn: $firewallArn
          availabilityZone: $availabilityZone
          flowOperationType: $flowOperationType
          first: $count
          after: $cursor
        )
          @connection(
            key: "FlowOperationList_flowOperations"
            filters: ["firewallArn", "availabilityZone", "flowOperationType"]
          ) {
          __id
          edges {
            node {
              flowOperationId
              flowOperationType
              flowOperationStatus
              flowRequestTimestamp
            }
          }
        }
      }
    `,
    query,
  );
  return (
    <section>
      <ul>
        {data.flowOperations?.edges.map(({ node }) => (
          <li key={node.flowOperationId}>
            {node.flowRequestTimestamp} {node.flowOperationType}: {node.flowOperationStatus}
          </li>
        ))}
      </ul>
      {hasNext && (
        <button disabled={isLoadingNext} onClick={() => loadNext(20)}>
          Older operations
        </button>
      )}
    </section>
  );
}
