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
