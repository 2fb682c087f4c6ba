import { getComplexity } from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { QueryTooComplexError } from '../errors.js';
import { MAX_PAGE_SIZE } from '../pagination.js';
import { MAX_NODE_IDS } from '../resolvers/Node.js';
import { MAX_REPRESENTATIONS } from '../federation/entities.js';

/**
 * Fields that may call AWS on their own, with the page size their connection defaults to, or the
 * list argument whose every item loads on its own. Every root field calls AWS too. The list
 * mirrors the resolvers: a new loading field belongs here.
 */
export const LOADING_FIELDS: Record<
  string,
  Record<string, { defaultFirst?: number; perListItem?: { argument: string; max: number } }>
> = {
  Query: {
    firewalls: { defaultFirst: 20 },
    flowOperations: { defaultFirst: 20 },
    // One DescribeFirewall or DescribeFlowOperation per id (fewer when ids repeat an object).
    node: {},
    nodes: { perListItem: { argument: 'ids', max: MAX_NODE_IDS } },
    // FEDERATION=true: a router's batch of entities, each loaded like a `nodes` id.
    _entities: { perListItem: { argument: 'representations', max: MAX_REPRESENTATIONS } },
  },
  Firewall: {
    flowOperations: { defaultFirst: 20 },
    // Loaded with DescribeFirewall (list items carry only the name and ARN).
    availabilityZones: {},
    status: {},
    vpcId: {},
    description: {},
  },
  FlowOperation: {
    flows: { defaultFirst: 100 },
    // What a ListFlowOperations item lacks, so DescribeFlowOperation may be called for it.
    statusMessage: {},
    minimumFlowAgeInSeconds: {},
    flowFilters: {},
  },
};

/** How many times a field's selection runs: its page size, or the items of its list argument. */
function multiplier(
  loading: (typeof LOADING_FIELDS)[string][string],
  args: Record<string, unknown>,
): number {
  if (loading.perListItem) {
    const list = args[loading.perListItem.argument];
    return Array.isArray(list) ? Math.min(loading.perListItem.max, Math.max(1, list.length)) : 1;
  }
  if (loading.defaultFirst === undefined) return 1;
  const first = args.first;
  return typeof first === 'number' && Number.isFinite(first)
    ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(first)))
    : loading.defaultFirst;
}

/**
 * The one estimator: a field that calls AWS (a root field, or one of LOADING_FIELDS) costs 1, a
 * list argument's field 1 per item, and what is asked below a connection or list counts once per
 * item. Other fields are free. Introspection calls nothing.
 */
function awsCallEstimator(schema: GraphQLSchema): ComplexityEstimator {
  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
      (t) => t !== null && t !== undefined,
    ),
  );
  return ({ type, field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    const loading = LOADING_FIELDS[type.name]?.[field.name];
    const root = roots.has(type as never);
    if (!loading) return (root ? 1 : 0) + childComplexity;
    const times = multiplier(loading, args);
    const own = loading.perListItem ? times : 1;
    return own + times * childComplexity;
  };
}

const estimators = new WeakMap<GraphQLSchema, ComplexityEstimator>();

/**
 * The AWS calls an operation may make, by graphql-query-complexity over `document` (one operation
 * and its fragments), with the variables, honouring `@skip` and `@include`. Undefined when the
 * variables do not coerce: execution refuses those before any resolver runs.
 *
 * `maxNodes`: the library's own bound on the selections it walks; the caller has checked the
 * expanded count (query-shape.ts) against it, so the bound never fires.
 */
export function measureCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  maxNodes: number,
): number | undefined {
  let estimator = estimators.get(schema);
  if (!estimator) estimators.set(schema, (estimator = awsCallEstimator(schema)));
  try {
    return getComplexity({
      schema,
      query: document,
      variables: { ...variables },
      estimators: [estimator],
      maxQueryNodes: maxNodes + 1,
    });
  } catch {
    return undefined;
  }
}

/** The refusal of an operation costing more than MAX_QUERY_COST. */
export function costError(cost: number, maxQueryCost: number): QueryTooComplexError | undefined {
  if (cost <= maxQueryCost) return undefined;
  return new QueryTooComplexError(
    `The operation costs ${cost}, above MAX_QUERY_COST (${maxQueryCost}): ask for fewer items (first), aliases or fields that load from AWS`,
    { cost, maxCost: maxQueryCost },
  );
}
