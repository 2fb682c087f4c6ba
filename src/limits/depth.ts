import { BadUserInputError } from '../errors.js';

/**
 * How deeply a request's variables may nest arrays and objects, the variables map itself being
 * level 1. The schema's deepest input (a start's filters and their addresses) needs 5; 32 leaves
 * room for any honest client and keeps every recursive walk (JSON.stringify in canonicalJson,
 * graphql-js's coercion, pino) a few frames deep.
 */
export const DEFAULT_MAX_VARIABLE_DEPTH = 32;

/** MAX_VARIABLE_DEPTH's ceiling, and the depth canonicalJson refuses past whatever the setting. */
export const MAX_VARIABLE_DEPTH_CEILING = 256;

/**
 * Whether `value` nests arrays and objects more than `max` levels deep (a scalar is 0 levels,
 * `[]` and `{}` are 1). Iterative, with an explicit stack, so a hostile value cannot overflow the
 * call stack; it stops at the first path past `max`, so a deep value costs at most `max` levels
 * of that path plus the siblings seen before it.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const current = item.value;
    if (current === null || typeof current !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth });
    }
  }
  return false;
}

/** The refusal for variables nested past `max`, or undefined when they may be used. */
export function variableDepthError(variables: unknown, max: number): BadUserInputError | undefined {
  if (!nestsDeeperThan(variables, max)) return undefined;
  return new BadUserInputError(
    `The variables nest arrays or objects more than ${max} levels deep (MAX_VARIABLE_DEPTH)`,
    { maxDepth: max },
  );
}
