/** Fact paths as rules write them (`$.natural_disaster`, `$.countyCode`). Pure. */

/**
 * Resolves `$.key` (and `$.a.b`) paths without jsonpath-plus: the linter allows only such
 * paths, and this keeps an evaluation cheap. Returns undefined for anything else.
 */
export function resolvePath(value: unknown, path: string): unknown {
  if (!path.startsWith('$.')) return undefined;
  let current: unknown = value;
  for (const key of path.slice(2).split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * A fact's value as json-rules-engine's almanac resolves it for a condition (allowUndefinedFacts):
 * the path applies to objects only; any other value is taken whole. Used by decision reuse and
 * by explanations, so both read a condition's sides as the engine does.
 */
export function factSide(facts: Readonly<Record<string, unknown>>, fact: string, path: string | undefined): unknown {
  const value = facts[fact];
  return path && value != null && typeof value === 'object' ? resolvePath(value, path) : value;
}
