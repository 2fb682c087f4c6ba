import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  valueFromASTUntyped,
} from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { QueryTooComplexError } from '../errors.js';
import { MAX_PAGE_SIZE } from '../pagination.js';
import { MAX_NODE_IDS } from '../resolvers/Node.js';
import { MAX_REPRESENTATIONS } from '../federation/entities.js';

export interface ComplexityLimits {
  maxQueryCost: number;
  maxQueryDepth: number;
}

/**
 * Fields that may call AWS on their own, with the page size their connection defaults to. Every
 * root field calls AWS too. The list mirrors the resolvers: a new loading field belongs here.
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

export interface Complexity {
  /** Upstream-loading fields, each multiplied by the page sizes of the connections above it. */
  cost: number;
  /** Nesting depth of fields, introspection left out. */
  depth: number;
}

function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * Measures an operation statically, with its variables, before anything runs. Aliases count
 * (each alias is a field of its own); fragments are expanded where they are spread.
 */
export function measureComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): Complexity | undefined {
  const operation = operationOf(document, operationName);
  if (!operation) return undefined;
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const values: Record<string, unknown> = {};
  for (const v of operation.variableDefinitions ?? []) {
    if (v.defaultValue) values[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  }
  Object.assign(values, variables ?? {});

  const measured = new Map<string, Complexity>();
  const walk = (
    set: SelectionSetNode,
    // An interface (`node`'s Node) too: its own fields and its fragments' are measured alike;
    // a union (`_entities`' _Entity) has only fragments.
    type: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType,
    level: number,
    spreading: ReadonlySet<string>,
  ): Complexity => {
    let cost = 0;
    let depth = 0;
    for (const selection of set.selections) {
      let inner: Complexity | undefined;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = isUnionType(type) ? undefined : type.getFields()[name];
        // Unknown fields fail validation; they load nothing.
        if (!field) continue;
        const loading = LOADING_FIELDS[type.name]?.[name];
        let own = level === 0 || loading ? 1 : 0;
        const target = getNamedType(field.type);
        const below =
          selection.selectionSet &&
          (isObjectType(target) || isInterfaceType(target) || isUnionType(target))
            ? walk(selection.selectionSet, target, level + 1, spreading)
            : { cost: 0, depth: 0 };
        const pageSize = loading?.defaultFirst;
        let times = 1;
        if (pageSize !== undefined) {
          const arg = selection.arguments?.find((a) => a.name.value === 'first');
          const first = arg ? valueFromASTUntyped(arg.value, values) : undefined;
          times =
            typeof first === 'number' && Number.isFinite(first)
              ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(first)))
              : pageSize;
        }
        const perItem = loading?.perListItem;
        if (perItem) {
          // A list argument: each item loads on its own, and so does what is asked of each.
          const arg = selection.arguments?.find((a) => a.name.value === perItem.argument);
          const list = arg ? valueFromASTUntyped(arg.value, values) : undefined;
          times = Array.isArray(list) ? Math.min(perItem.max, Math.max(1, list.length)) : 1;
          own = times;
        }
        cost += own + times * below.cost;
        depth = Math.max(depth, 1 + below.depth);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        if (isObjectType(on) || isInterfaceType(on)) {
          inner = walk(selection.selectionSet, on, level, spreading);
        }
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment cycle is a validation error; here it must only not recurse forever.
        if (!fragment || spreading.has(name)) continue;
        // A fragment's measure depends only on whether it sits at the root (where every field
        // counts): computed once per fragment and place, a chain of fragments that each spread
        // the next one twice is measured in linear time, not 2^n.
        const memoKey = `${level === 0 ? 'root' : 'nested'}:${name}`;
        inner = measured.get(memoKey);
        if (!inner) {
          const on = schema.getType(fragment.typeCondition.name.value);
          if (isObjectType(on) || isInterfaceType(on)) {
            inner = walk(fragment.selectionSet, on, level, new Set([...spreading, name]));
            measured.set(memoKey, inner);
          }
        }
      }
      if (inner) {
        cost += inner.cost;
        depth = Math.max(depth, inner.depth);
      }
    }
    return { cost, depth };
  };
  return walk(operation.selectionSet, root, 0, new Set());
}

/** The refusal for an operation over the limits, or undefined when it may run. */
export function complexityError(
  complexity: Complexity | undefined,
  limits: ComplexityLimits,
): QueryTooComplexError | undefined {
  if (!complexity) return undefined;
  if (complexity.depth > limits.maxQueryDepth) {
    return new QueryTooComplexError(
      `The operation nests ${complexity.depth} fields deep, above MAX_QUERY_DEPTH (${limits.maxQueryDepth})`,
      { depth: complexity.depth, maxDepth: limits.maxQueryDepth },
    );
  }
  if (complexity.cost > limits.maxQueryCost) {
    return new QueryTooComplexError(
      `The operation costs ${complexity.cost}, above MAX_QUERY_COST (${limits.maxQueryCost}): ask for fewer items (first), aliases or fields that load from AWS`,
      { cost: complexity.cost, maxCost: limits.maxQueryCost },
    );
  }
  return undefined;
}

/** Apollo: refuses after validation and before execution, so no resolver (or AWS call) runs. */
// Per request, for the cost limit and the AWS call budget alike (Apollo hands every plugin the
// same request object): the walk is done once.
const measuredRequests = new WeakMap<object, Complexity | undefined>();

/** The complexity of an Apollo request's operation, measured once per request. */
export function requestComplexity(op: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  request: { variables?: Readonly<Record<string, unknown>> | null | undefined };
}): Complexity | undefined {
  if (measuredRequests.has(op.request)) return measuredRequests.get(op.request);
  const complexity = measureComplexity(
    op.schema,
    op.document,
    op.operationName,
    op.request.variables,
  );
  measuredRequests.set(op.request, complexity);
  return complexity;
}

export function complexityPlugin<C extends object>(
  limits: ComplexityLimits,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const error = complexityError(
            requestComplexity({ schema, document, operationName, request }),
            limits,
          );
          if (error) {
            throw new QueryTooComplexError(error.message, {
              ...error.extensions,
              http: { status: 400 },
            });
          }
        },
      };
    },
  };
}

/**
 * graphql-js's own `maxTokens` check, for the websocket path, whose parse is shared and cached:
 * counts tokens, stopping at the limit, so an oversized document costs at most `max` tokens.
 */
export function tokenLimitError(query: string, max: number): GraphQLError | undefined {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF;) {
      if (++count > max) {
        return new GraphQLError(
          `Syntax Error: Document contains more than ${max} tokens (MAX_QUERY_TOKENS). Parsing aborted.`,
          { extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
        );
      }
    }
  } catch {
    // A lexing error is reported by the real parse, with its location.
  }
  return undefined;
}
