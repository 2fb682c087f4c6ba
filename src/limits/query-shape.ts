import { Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import { QueryTooComplexError } from '../errors.js';

/**
 * Selections an operation may expand to, its fragments spread wherever they are used, before its
 * cost is measured. graphql-query-complexity walks every spread of a fragment again, so a 1 KB
 * document whose fragments each spread the next one twice would take 2^n steps; counted here first
 * (each fragment once, memoised), such a document is refused in linear time. Honest documents hold
 * a few hundred selections; MAX_QUERY_TOKENS (5,000 by default) allows about 5,000 unexpanded.
 */
export const MAX_EXPANDED_SELECTIONS = 20_000;

export interface QueryShape {
  /** Nesting depth of fields, introspection left out. */
  depth: number;
  /** Selections once every fragment is expanded where it is spread. */
  selections: number;
}

/**
 * Depth and expanded size of one operation's selection set. A fragment's shape is computed once
 * and reused at every spread; a fragment cycle (a validation error) counts nothing.
 */
export function measureShape(document: DocumentNode, selectionSet: SelectionSetNode): QueryShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const measured = new Map<string, QueryShape>();
  const walk = (set: SelectionSetNode, spreading: ReadonlySet<string>): QueryShape => {
    let depth = 0;
    let selections = 0;
    for (const selection of set.selections) {
      selections += 1;
      let inner: QueryShape | undefined;
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet
          ? walk(selection.selectionSet, spreading)
          : { depth: 0, selections: 0 };
        selections += below.selections;
        if (!selection.name.value.startsWith('__')) depth = Math.max(depth, 1 + below.depth);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(selection.selectionSet, spreading);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spreading.has(name)) continue;
        inner = measured.get(name);
        if (!inner) {
          inner = walk(fragment.selectionSet, new Set([...spreading, name]));
          measured.set(name, inner);
        }
      }
      depth = Math.max(depth, inner.depth);
      selections += inner.selections;
    }
    return { depth, selections };
  };
  return walk(selectionSet, new Set());
}

/** The refusal of an operation deeper than MAX_QUERY_DEPTH or larger than it may expand. */
export function shapeError(
  shape: QueryShape,
  maxQueryDepth: number,
): QueryTooComplexError | undefined {
  if (shape.depth > maxQueryDepth) {
    return new QueryTooComplexError(
      `The operation nests ${shape.depth} fields deep, above MAX_QUERY_DEPTH (${maxQueryDepth})`,
      { depth: shape.depth, maxDepth: maxQueryDepth },
    );
  }
  if (shape.selections > MAX_EXPANDED_SELECTIONS) {
    return new QueryTooComplexError(
      `The operation expands to more than ${MAX_EXPANDED_SELECTIONS} selections once its fragments are spread: spread fragments fewer times`,
      { maxSelections: MAX_EXPANDED_SELECTIONS },
    );
  }
  return undefined;
}
