import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CursorCodec } from '../src/cursor.js';
import { BadUserInputError, ErrorCode } from '../src/errors.js';
import type { Connection, Edge } from '../src/model.js';
import { MAX_PAGE_SIZE, paginate, validateFirst } from '../src/pagination.js';
import type { Page, PageFetcher, PaginateArgs } from '../src/pagination.js';

const codec = new CursorCodec(Buffer.from('pagination-test-secret'));

interface UpstreamOptions {
  /** Most items one page returns for a page starting at `start`, whatever MaxResults says. */
  cap?: (start: number) => number;
  /** Positions at which the upstream first answers an empty page with a token. */
  emptyAt?: ReadonlySet<number>;
  /** Whether the last page carries a token that leads to one final empty page. */
  trailingToken?: boolean;
}

interface Call {
  token: string | undefined;
  maxResults: number;
}

/**
 * An in-memory NextToken API over items 0..n-1. Tokens are opaque strings that encode the start
 * index (plus whether the empty page at that index was already served), so a token can be
 * re-used with another MaxResults, as with AWS.
 */
class Upstream {
  readonly calls: Call[] = [];
  readonly items: string[];

  constructor(
    readonly n: number,
    private readonly options: UpstreamOptions = {},
  ) {
    this.items = Array.from({ length: n }, (_, i) => `item-${i}`);
  }

  private static token(start: number, afterEmpty: boolean): string {
    return Buffer.from(JSON.stringify([start, afterEmpty])).toString('base64');
  }

  readonly fetch: PageFetcher<string> = async (token, maxResults) => {
    this.calls.push({ token, maxResults });
    assert.ok(Number.isInteger(maxResults), `maxResults ${maxResults} is not an integer`);
    assert.ok(maxResults >= 1, `maxResults ${maxResults} < 1`);
    assert.ok(maxResults <= MAX_PAGE_SIZE, `maxResults ${maxResults} > ${MAX_PAGE_SIZE}`);
    let start = 0;
    let afterEmpty = false;
    if (token !== undefined) {
      assert.notEqual(token, '', 'an empty NextToken was sent');
      [start, afterEmpty] = JSON.parse(Buffer.from(token, 'base64').toString()) as [
        number,
        boolean,
      ];
    }
    await Promise.resolve();
    if (!afterEmpty && this.options.emptyAt?.has(start) && start < this.n) {
      return { items: [], nextToken: Upstream.token(start, true) };
    }
    const cap = this.options.cap ? Math.max(1, this.options.cap(start)) : Infinity;
    const count = Math.min(maxResults, cap, this.n - start);
    const end = start + count;
    const page: Page<string> = { items: this.items.slice(start, end), nextToken: undefined };
    if (end < this.n) page.nextToken = Upstream.token(end, false);
    else if (this.options.trailingToken && count > 0) page.nextToken = Upstream.token(end, false);
    return page;
  };
}

function args(over: Partial<PaginateArgs> = {}): PaginateArgs {
  return { first: 10, after: null, defaultFirst: 20, kind: 'flows', scope: 'scope-1', ...over };
}

function nodes<T>(connection: Connection<T>): T[] {
  return connection.edges.map((e) => e.node);
}

/** `afterAnEdge`: the page was read after an edge's cursor (not a resume cursor, not the start). */
function assertPageInfo<T>(connection: Connection<T>, afterAnEdge = false): void {
  const { edges, pageInfo } = connection;
  assert.equal(pageInfo.hasPreviousPage, afterAnEdge);
  assert.equal(pageInfo.startCursor, edges[0]?.cursor ?? null);
  if (edges.length > 0) assert.equal(pageInfo.endCursor, edges.at(-1)?.cursor);
  else if (!pageInfo.hasNextPage) assert.equal(pageInfo.endCursor, null);
  else assert.equal(typeof pageInfo.endCursor, 'string');
  assert.equal(new Set(edges.map((e) => e.cursor)).size, edges.length, 'edge cursors repeat');
}

interface Walk {
  all: Edge<string>[];
  pages: Connection<string>[];
  callsPerPage: number[];
}

/** Follows endCursor until hasNextPage is false. */
async function walk(
  upstream: Upstream,
  first: number,
  after: string | null = null,
  extra: Partial<PaginateArgs> = {},
): Promise<Walk> {
  const all: Edge<string>[] = [];
  const pages: Connection<string>[] = [];
  const callsPerPage: number[] = [];
  let cursor = after;
  let afterAnEdge = after !== null;
  for (let guard = 0; ; guard++) {
    assert.ok(guard <= upstream.n + 50, 'pagination does not terminate');
    const before = upstream.calls.length;
    const page = await paginate(codec, args({ first, after: cursor, ...extra }), upstream.fetch);
    callsPerPage.push(upstream.calls.length - before);
    assertPageInfo(page, afterAnEdge);
    assert.ok(page.edges.length <= first);
    pages.push(page);
    all.push(...page.edges);
    if (!page.pageInfo.hasNextPage) break;
    assert.notEqual(page.pageInfo.endCursor, null);
    cursor = page.pageInfo.endCursor;
    // An empty page's endCursor is a resume cursor: it names no edge.
    afterAnEdge = page.edges.length > 0;
  }
  return { all, pages, callsPerPage };
}

const capArb = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 1, max: 120 }).map((c) => () => c),
  fc
    .array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 7 })
    .map((caps) => (start: number) => caps[start % caps.length] ?? 1),
);
const optionsArb: fc.Arbitrary<UpstreamOptions> = fc
  .tuple(capArb, fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }), fc.boolean())
  .map(([cap, empties, trailingToken]) => ({ cap, emptyAt: new Set(empties), trailingToken }));

describe('paginate: walking a list', () => {
  it('yields every item once, in order, for an upstream that honours MaxResults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 100 }),
        async (n, first) => {
          const upstream = new Upstream(n);
          const { all, pages, callsPerPage } = await walk(upstream, first);
          assert.deepEqual(
            all.map((e) => e.node),
            upstream.items,
          );
          assert.equal(pages.length, Math.max(1, Math.ceil(n / first)));
          for (const [i, page] of pages.entries()) {
            // hasNextPage is exact here: true if and only if items remain.
            const seen = pages.slice(0, i + 1).reduce((s, p) => s + p.edges.length, 0);
            assert.equal(page.pageInfo.hasNextPage, seen < n);
            if (i < pages.length - 1) assert.equal(page.edges.length, first);
          }
          assert.ok(
            callsPerPage.every((c) => c >= 1 && c <= 2),
            `calls per page: ${callsPerPage.join(',')}`,
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it('yields every item once, in order, with short pages, empty pages and trailing tokens', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 100 }),
        optionsArb,
        async (n, first, options) => {
          const upstream = new Upstream(n, options);
          const { all, callsPerPage } = await walk(upstream, first);
          assert.deepEqual(
            all.map((e) => e.node),
            upstream.items,
          );
          assert.ok(callsPerPage.every((c) => c <= 20));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('resuming from ANY edge cursor continues right after that edge', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(),
        fc.option(optionsArb, { nil: undefined }),
        async (n, first, second, pick, options) => {
          const upstream = new Upstream(n, options);
          const { all } = await walk(upstream, first);
          const j = pick % all.length;
          const edge = all[j];
          assert.ok(edge);
          const page = await paginate(
            codec,
            args({ first: second, after: edge.cursor }),
            upstream.fetch,
          );
          const expected = upstream.items.slice(j + 1, j + 1 + second);
          if (options === undefined) {
            assert.deepEqual(nodes(page), expected);
            assert.equal(page.pageInfo.hasNextPage, j + 1 + second < n);
          } else {
            assert.deepEqual(nodes(page), expected.slice(0, page.edges.length));
          }
          const rest = await walk(upstream, second, edge.cursor);
          assert.deepEqual(
            rest.all.map((e) => e.node),
            upstream.items.slice(j + 1),
          );
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives every edge a cursor that resumes at the same place whatever page size follows', async () => {
    const upstream = new Upstream(37);
    const page = await paginate(codec, args({ first: 25 }), upstream.fetch);
    for (const [j, edge] of page.edges.entries()) {
      const next = await paginate(codec, args({ first: 1, after: edge.cursor }), upstream.fetch);
      assert.deepEqual(nodes(next), [`item-${j + 1}`]);
    }
  });

  it('never asks the upstream for more than 100 (nor fewer than 1) items', async () => {
    const upstream = new Upstream(1000);
    // An edge far into a 100-item page, then a full page after it: skip + need > 100.
    const p1 = await paginate(codec, args({ first: 100 }), upstream.fetch);
    const p2 = await paginate(
      codec,
      args({ first: 100, after: p1.edges[98]?.cursor }),
      upstream.fetch,
    );
    assert.deepEqual(nodes(p2), upstream.items.slice(99, 199));
    const p3 = await paginate(
      codec,
      args({ first: 100, after: p1.edges[99]?.cursor }),
      upstream.fetch,
    );
    assert.deepEqual(nodes(p3), upstream.items.slice(100, 200));
    assert.ok(upstream.calls.every((c) => c.maxResults >= 1 && c.maxResults <= MAX_PAGE_SIZE));
  });

  it('asks only for what the page needs when it can', async () => {
    const upstream = new Upstream(50);
    await paginate(codec, args({ first: 7 }), upstream.fetch);
    assert.deepEqual(upstream.calls, [{ token: undefined, maxResults: 7 }]);
  });
});

describe('paginate: page shape', () => {
  it('starts at the beginning when there is no after', async () => {
    for (const after of [null, undefined]) {
      const upstream = new Upstream(5);
      const page = await paginate(codec, args({ first: 3, after }), upstream.fetch);
      assert.deepEqual(nodes(page), ['item-0', 'item-1', 'item-2']);
      assert.equal(upstream.calls[0]?.token, undefined);
      assert.equal(page.pageInfo.hasNextPage, true);
      assertPageInfo(page);
    }
  });

  it('uses defaultFirst when first is null or undefined', async () => {
    for (const first of [null, undefined]) {
      const upstream = new Upstream(50);
      const page = await paginate(codec, args({ first, defaultFirst: 13 }), upstream.fetch);
      assert.equal(page.edges.length, 13);
    }
  });

  it('returns an empty connection for an empty list', async () => {
    const upstream = new Upstream(0);
    const page = await paginate(codec, args({ first: 10 }), upstream.fetch);
    assert.deepEqual(page, {
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('seals only the cursors that are read: a page of 100 costs two, not 100', async () => {
    let sealed = 0;
    const counting = new (class extends CursorCodec {
      override encode(...a: Parameters<CursorCodec['encode']>): string {
        sealed += 1;
        return super.encode(...a);
      }
    })(Buffer.from('pagination-test-secret'));
    const page = await paginate(counting, args({ first: 100 }), new Upstream(150).fetch);
    assert.equal(page.edges.length, 100);
    assert.equal(sealed, 2, 'startCursor and endCursor');
    assert.equal(page.edges[99]!.cursor, page.pageInfo.endCursor);
    assert.equal(page.edges[5]!.cursor, page.edges[5]!.cursor);
    assert.equal(sealed, 3, 'each edge cursor sealed once, when first read');
  });

  it('returns the whole list with hasNextPage false when first covers it exactly', async () => {
    const upstream = new Upstream(10);
    const page = await paginate(codec, args({ first: 10 }), upstream.fetch);
    assert.equal(page.edges.length, 10);
    assert.equal(page.pageInfo.hasNextPage, false);
    assert.equal(upstream.calls.length, 1);
  });

  it('after the last edge, returns no edges and hasNextPage false', async () => {
    const upstream = new Upstream(4);
    const page = await paginate(codec, args({ first: 10 }), upstream.fetch);
    const end = await paginate(
      codec,
      args({ first: 10, after: page.pageInfo.endCursor }),
      upstream.fetch,
    );
    assert.deepEqual(end.edges, []);
    assert.equal(end.pageInfo.hasNextPage, false);
    assert.equal(end.pageInfo.endCursor, null);
  });

  it('makes progress through a long run of empty pages, bounded by maxCalls per page', async () => {
    // 45 empty pages (each with a token) before the first item.
    let calls = 0;
    const fetch: PageFetcher<string> = async (token) => {
      calls++;
      const at = token === undefined ? 0 : Number(token);
      if (at < 45) return { items: [], nextToken: String(at + 1) };
      if (at === 45) return { items: ['a', 'b'], nextToken: undefined };
      throw new Error(`unexpected token ${token}`);
    };
    const p1 = await paginate(codec, args({ first: 5, maxCalls: 20 }), fetch);
    assert.equal(calls, 20);
    assert.deepEqual(p1.edges, []);
    assert.equal(p1.pageInfo.hasNextPage, true);
    assert.equal(p1.pageInfo.startCursor, null);
    assert.notEqual(p1.pageInfo.endCursor, null);
    const p2 = await paginate(codec, args({ first: 5, after: p1.pageInfo.endCursor }), fetch);
    assert.equal(calls, 40);
    assert.deepEqual(p2.edges, []);
    assert.equal(p2.pageInfo.hasNextPage, true);
    const p3 = await paginate(codec, args({ first: 5, after: p2.pageInfo.endCursor }), fetch);
    assert.deepEqual(nodes(p3), ['a', 'b']);
    assert.equal(p3.pageInfo.hasNextPage, false);
  });

  it('with maxCalls reached after some edges, reports hasNextPage and resumes after the last edge', async () => {
    const upstream = new Upstream(30, { cap: () => 2 });
    const page = await paginate(codec, args({ first: 30, maxCalls: 3 }), upstream.fetch);
    assert.deepEqual(nodes(page), upstream.items.slice(0, 6));
    assert.equal(page.pageInfo.hasNextPage, true);
    const next = await paginate(
      codec,
      args({ first: 30, after: page.pageInfo.endCursor, maxCalls: 100 }),
      upstream.fetch,
    );
    assert.deepEqual(nodes(next), upstream.items.slice(6));
  });

  it('does not call the upstream more than maxCalls times', async () => {
    const upstream = new Upstream(300, { cap: () => 1 });
    await paginate(codec, args({ first: 100, maxCalls: 7 }), upstream.fetch);
    assert.equal(upstream.calls.length, 7);
  });

  it('copes with an upstream that ignores MaxResults and returns everything at once', async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const fetch: PageFetcher<number> = async () => ({ items, nextToken: undefined });
    const p1 = await paginate(codec, args({ first: 3 }), fetch);
    assert.deepEqual(nodes(p1), [0, 1, 2]);
    assert.equal(p1.pageInfo.hasNextPage, true, 'items left in the page mean there is a next page');
    const p2 = await paginate(codec, args({ first: 7, after: p1.pageInfo.endCursor }), fetch);
    assert.deepEqual(nodes(p2), [3, 4, 5, 6, 7, 8, 9]);
    assert.equal(p2.pageInfo.hasNextPage, false);
  });

  it('propagates upstream errors unchanged', async () => {
    const boom = new Error('upstream down');
    await assert.rejects(
      paginate(codec, args(), async () => {
        throw boom;
      }),
      (e) => e === boom,
    );
  });
});

describe('paginate: first 0 and hasPreviousPage', () => {
  it('first: 0 answers no edges, null cursors and makes no call until hasNextPage is read', async () => {
    const upstream = new Upstream(5);
    const page = await paginate(codec, args({ first: 0 }), upstream.fetch);
    assert.deepEqual(page.edges, []);
    assert.equal(page.pageInfo.hasPreviousPage, false);
    assert.equal(page.pageInfo.startCursor, null);
    assert.equal(page.pageInfo.endCursor, null);
    assert.equal(upstream.calls.length, 0);
    assert.equal(await page.pageInfo.hasNextPage, true);
    assert.equal(await page.pageInfo.hasNextPage, true);
    assert.deepEqual(upstream.calls, [{ token: undefined, maxResults: 1 }], 'one probe, read once');
  });

  it('first: 0 says whether an edge follows, exactly, wherever after points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 30 }),
        optionsArb,
        async (n, first, options) => {
          const upstream = new Upstream(n, { ...options, trailingToken: false });
          const { all } = await walk(upstream, first);
          for (const [i, edge] of [undefined, ...all].entries()) {
            const page = await paginate(
              codec,
              args({ first: 0, after: edge?.cursor }),
              upstream.fetch,
            );
            assert.deepEqual(page.edges, []);
            assert.equal(page.pageInfo.hasPreviousPage, edge !== undefined);
            assert.equal(page.pageInfo.startCursor, null);
            assert.equal(page.pageInfo.endCursor, null);
            // Edge i-1 was read: edges remain when i < n (capped AWS pages and empty ones aside,
            // maxCalls of 20 is not reached by an upstream with at most 20 empty pages in a row).
            assert.equal(await page.pageInfo.hasNextPage, i < n);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('hasPreviousPage is true after an edge cursor and false after a resume cursor', async () => {
    const upstream = new Upstream(10);
    const p1 = await paginate(codec, args({ first: 3 }), upstream.fetch);
    assert.equal(p1.pageInfo.hasPreviousPage, false);
    const p2 = await paginate(
      codec,
      args({ first: 3, after: p1.edges[1]!.cursor }),
      upstream.fetch,
    );
    assert.deepEqual(nodes(p2), ['item-2', 'item-3', 'item-4']);
    assert.equal(p2.pageInfo.hasPreviousPage, true);
    // An upstream that answers maxCalls empty pages: the resume cursor names no edge.
    const empty: PageFetcher<string> = async (token) => ({
      items: [],
      nextToken: String(Number(token ?? 0) + 1),
    });
    const stalled = await paginate(codec, args({ first: 3, maxCalls: 2 }), empty);
    assert.equal(stalled.pageInfo.hasNextPage, true);
    assert.equal(stalled.pageInfo.startCursor, null);
    const resumed = await paginate(
      codec,
      args({ first: 3, maxCalls: 2, after: stalled.pageInfo.endCursor }),
      empty,
    );
    assert.equal(resumed.pageInfo.hasPreviousPage, false);
  });
});

describe('paginate: arguments', () => {
  const badFirst = fc.oneof(
    fc.integer({ max: -1 }),
    fc.integer({ min: MAX_PAGE_SIZE + 1 }),
    fc.double({ noNaN: false }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(-1, 101, Number.NaN, Infinity, -Infinity, 0.5, 100.5, 1e21, -0.1),
  );

  it('refuses first outside 0..100 or non-integer with BAD_USER_INPUT naming first, before any call', async () => {
    await fc.assert(
      fc.asyncProperty(badFirst, async (first) => {
        const upstream = new Upstream(10);
        await assert.rejects(paginate(codec, args({ first }), upstream.fetch), (e: unknown) => {
          assert.ok(e instanceof BadUserInputError);
          assert.equal(e.extensions.code, ErrorCode.BAD_USER_INPUT);
          assert.equal(e.extensions.argumentPath, 'first');
          assert.ok(e.message.startsWith('first '), e.message);
          return true;
        });
        assert.equal(upstream.calls.length, 0);
      }),
      { numRuns: 100 },
    );
  });

  it('accepts every first in 0..100', async () => {
    const none = await paginate(codec, args({ first: 0 }), new Upstream(150).fetch);
    assert.equal(none.edges.length, 0);
    for (let first = 1; first <= MAX_PAGE_SIZE; first++) {
      const upstream = new Upstream(150);
      const page = await paginate(codec, args({ first }), upstream.fetch);
      assert.equal(page.edges.length, first);
    }
  });

  it('refuses a cursor issued for another kind, naming after, before any call', async () => {
    const upstream = new Upstream(10);
    const page = await paginate(codec, args({ kind: 'firewalls', first: 3 }), upstream.fetch);
    const cursor = page.pageInfo.endCursor;
    upstream.calls.length = 0;
    await assert.rejects(
      paginate(codec, args({ kind: 'flows', after: cursor }), upstream.fetch),
      (e: unknown) => {
        assert.ok(e instanceof BadUserInputError);
        assert.equal(e.extensions.code, ErrorCode.BAD_USER_INPUT);
        assert.equal(e.extensions.argumentPath, 'after');
        return true;
      },
    );
    assert.equal(upstream.calls.length, 0);
  });

  it('refuses a cursor issued for another scope', async () => {
    const upstream = new Upstream(10);
    const page = await paginate(codec, args({ scope: 'fw-a', first: 3 }), upstream.fetch);
    await assert.rejects(
      paginate(codec, args({ scope: 'fw-b', after: page.pageInfo.endCursor }), upstream.fetch),
      BadUserInputError,
    );
  });

  it('refuses garbage cursors as BAD_USER_INPUT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (after) => {
        const upstream = new Upstream(10);
        await assert.rejects(paginate(codec, args({ after }), upstream.fetch), BadUserInputError);
        assert.equal(upstream.calls.length, 0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('validateFirst', () => {
  it('returns the fallback for null and undefined', () => {
    assert.equal(validateFirst(null, 42, 'first'), 42);
    assert.equal(validateFirst(undefined, 7, 'first'), 7);
  });

  it('returns valid values unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PAGE_SIZE }), (n) => {
        assert.equal(validateFirst(n, 5, 'first'), n);
      }),
    );
  });

  it('names the path it is given', () => {
    assert.throws(
      () => validateFirst(-1, 5, 'firewall.flowOperations.first'),
      (e: unknown) => {
        assert.ok(e instanceof BadUserInputError);
        assert.equal(e.extensions.argumentPath, 'firewall.flowOperations.first');
        assert.match(e.message, /^firewall\.flowOperations\.first must be from 0 to 100, got -1$/);
        return true;
      },
    );
  });
});
