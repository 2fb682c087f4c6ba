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
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${path} must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`, {
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
      const position = resume === undefined ? { token, offset: i } : { token: resume, offset: -1 };
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
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor,
    },
  };
}
