// The firewalls of every region and account, a page at a time. The fragment is rooted on Query,
// so `@refetchable` needs no Node interface: Relay generates FirewallListPaginationQuery, which
// `usePaginationFragment` runs with the connection's `endCursor` to load the next page.
import { graphql, useLazyLoadQuery, usePaginationFragment } from 'react-relay';
import type { FirewallListQuery } from './__generated__/FirewallListQuery.graphql';
import type { FirewallList_query$key } from './__generated__/FirewallList_query.graphql';
import { FirewallCard } from './FirewallCard';

export function FirewallListScreen() {
  const query = useLazyLoadQuery<FirewallListQuery>(
    graphql`
      query FirewallListQuery {
        ...FirewallList_query
      }
    `,
    {},
  );
  return <FirewallList query={query} />;
}

function FirewallList({ query }: { query: FirewallList_query$key }) {
  const { data, hasNext, isLoadingNext, loadNext } = usePaginationFragment(
    graphql`
      fragment FirewallList_query on Query
      @refetchable(queryName: "FirewallListPaginationQuery")
      @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
        firewalls(first: $count, after: $cursor) @connection(key: "FirewallList_firewalls") {
          edges {
            node {
              firewallArn
              ...FirewallCard_firewall
            }
          }
        }
      }
    `,
    query,
  );
  return (
    <section>
      {data.firewalls.edges.map(({ node }) => (
        <FirewallCard key={node.firewallArn} firewall={node} />
      ))}
      {hasNext && (
        <button disabled={isLoadingNext} onClick={() => loadNext(10)}>
          More firewalls
        </button>
      )}
    </section>
  );
}
