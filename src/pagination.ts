import type { CursorCodec, CursorPosition } from './cursor.js';
import { BadUserInputError } from './errors.js';
import type { Connection, Edge } from './model.js';

/** AWS's MaxResults bounds for every Network Firewall list call. */
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
  /**
   * For a list merged from several sources: the token the list resumes from after each item.
   * An edge's cursor is then that token alone, not (page token, index): a merged page's index
   * would mean another item once a source failed or recovered, a per-source position never does.
   */
  resumeTokens?: string[];
}

export type PageFetcher<T> = (token: string | undefined, maxResults: number) => Promise<Page<T>>;

export interface PaginateArgs {
  first: number | null | undefined;
  after: string | null | undefined;
  defaultFirst: number;
  /** Names the connection in cursors and in error paths, e.g. `flows`. */
  kind: string;
  /** Everything else that shapes the list (firewall, zone, filter...), so cursors don't cross lists. */
  scope: string;
  /** Upper bound on AWS calls for one page, in case AWS keeps answering empty pages with a token. */
  maxCalls?: number;
}

export function validateFirst(
  first: number | null | undefined,
  fallback: number,
  path: string,
): number {
  if (first === null || first === undefined) return fallback;
  // 0 is allowed, as the connection spec and Relay allow it: a page of no edges whose pageInfo
  // says whether any follow (see `emptyPage`).
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${path} must be from 0 to ${MAX_PAGE_SIZE}, got ${first}`, {
      argumentPath: path,
    });
  }
  return first;
}

/**
 * An edge whose cursor is sealed only when read: a cursor costs an HMAC and an AES-GCM pass, and
 * most queries ask for nodes and `pageInfo.endCursor`, not for each edge's cursor.
 */
function lazyEdge<T>(encode: () => string, node: T): Edge<T> {
  let cursor: string | undefined;
  return {
    node,
    get cursor(): string {
      return (cursor ??= encode());
    },
  };
}

/**
 * A Relay connection over a NextToken API. Each edge's cursor is (page token, index in page), so
 * `after` may be any edge's cursor, not only the end of a page, and `first` need not match the
 * page size AWS used: the window is fetched with MaxResults = offset + what is still needed.
 */
export async function paginate<T>(
  codec: CursorCodec,
  args: PaginateArgs,
  fetchPage: PageFetcher<T>,
): Promise<Connection<T>> {
  const first = validateFirst(args.first, args.defaultFirst, 'first');
  const start: CursorPosition =
    args.after === null || args.after === undefined
      ? { token: null, offset: -1 }
      : codec.decode(args.after, args.kind, args.scope, 'after');
  // The connection spec lets a forward page say `hasPreviousPage: true` when it can tell cheaply
  // that an edge precedes `after`. A cursor with an offset names an edge this list served, and
  // that edge precedes the page, as does the cursor of an AWS page's last edge (offset -1 and
  // `edge`). The first page has none before it; a resume cursor (offset -1, issued after a
  // stretch of empty AWS pages) names no edge, and nothing cheap tells more.
  const hasPreviousPage = start.offset >= 0 || start.edge === true;
  if (first === 0) return emptyPage(codec, args, fetchPage, hasPreviousPage);

  const edges: Edge<T>[] = [];
  let token = start.token;
  let skip = start.offset + 1;
  let hasNextPage = false;
  let lastPosition: CursorPosition = start;
  const maxCalls = args.maxCalls ?? 20;

  for (let call = 0; call < maxCalls; call++) {
    const need = first - edges.length;
    const maxResults = Math.min(MAX_PAGE_SIZE, skip + need);
    const page = await fetchPage(token ?? undefined, maxResults);
    const items = page.items;
    let i = skip;
    for (; i < items.length && edges.length < first; i++) {
      const resume = page.resumeTokens?.[i];
      const position: CursorPosition =
        resume !== undefined
          ? { token: resume, offset: -1 }
          : i === items.length - 1 && page.nextToken
            ? // The page's last edge: "after it" is where the next AWS page starts, so a client
              // walking endCursor makes one AWS call per page, not a re-read of this one first.
              { token: page.nextToken, offset: -1, edge: true }
            : { token, offset: i };
      edges.push(lazyEdge(() => codec.encode(args.kind, args.scope, position), items[i] as T));
      lastPosition = position;
    }
    if (edges.length >= first) {
      hasNextPage = i < items.length || Boolean(page.nextToken);
      break;
    }
    if (!page.nextToken) {
      hasNextPage = false;
      break;
    }
    token = page.nextToken;
    skip = 0;
    if (call === maxCalls - 1) {
      hasNextPage = true;
      if (edges.length === 0) lastPosition = { token, offset: -1 };
    }
  }

  // The spec ties start and end cursors to the first and last edge, and lets both be null on a
  // page without edges. One empty page keeps an end cursor: when AWS answered `maxCalls` empty
  // pages in a row, each with a token, `endCursor` is where to resume, so a client walking
  // `endCursor` makes progress instead of asking for the same empty stretch again.
  const endCursor =
    edges.length > 0
      ? (edges[edges.length - 1]?.cursor ?? null)
      : hasNextPage
        ? codec.encode(args.kind, args.scope, lastPosition)
        : null;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor,
    },
  };
}

/**
 * The page of `first: 0`: no edges, so no cursors (the spec's start and end cursors are those of
 * the first and last edge), and no AWS call unless the query reads `hasNextPage`. That one needs
 * to know whether an edge follows `after`, which is the question a page of one answers: it is
 * read lazily, once, the first time graphql-js resolves the field.
 */
function emptyPage<T>(
  codec: CursorCodec,
  args: PaginateArgs,
  fetchPage: PageFetcher<T>,
  hasPreviousPage: boolean,
): Connection<T> {
  let probe: Promise<boolean> | undefined;
  const one = async (): Promise<boolean> => {
    const page = await paginate(codec, { ...args, first: 1 }, fetchPage);
    return page.edges.length > 0 || (await page.pageInfo.hasNextPage);
  };
  return {
    edges: [],
    pageInfo: {
      get hasNextPage(): Promise<boolean> {
        return (probe ??= one());
      },
      hasPreviousPage,
      startCursor: null,
      endCursor: null,
    },
  };
}
