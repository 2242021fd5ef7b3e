/**
 * The documented limits of rule files (README "Rules"), checked before anything recursive
 * (ajv, the condition linter, json-rules-engine, JSON.stringify) sees a file: a file within them
 * is bounded in size, nesting and work; one beyond them is refused with its file name, a JSON
 * pointer and the reason. Every check here is iterative and stops descending at the limit, so
 * even a file nested 100,000 levels deep costs O(size) time and bounded memory. Pure.
 */
import type { LintMessage } from './types.js';

export const RULE_FILE_LIMITS = Object.freeze({
  /** Bytes of one file of a rule directory (rules and parameters.json). */
  maxFileBytes: 1024 * 1024,
  /** Nesting of `all` / `any` / `not` groups in a rule's conditions. */
  maxConditionDepth: 32,
  /** Conditions (fact, operator, value) in one rule. */
  maxConditions: 200,
  /** Items of any list, e.g. the values of `in` / `notIn`. */
  maxListItems: 1000,
  /** Nesting of objects and arrays anywhere in a file (a rule at the condition limit needs about 70). */
  maxJsonDepth: 100,
});

/** Lists over the limit reported per file; more are summed up in one message. */
const MAX_LIST_MESSAGES = 5;

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A JSON pointer kept as a chain of tokens, written out only for a message. */
interface Path {
  parent: Path | null;
  token: string;
}

function pointerOf(path: Path | null): string {
  const tokens: string[] = [];
  for (let p = path; p; p = p.parent) tokens.push(escapePointer(p.token));
  return tokens.length ? `/${tokens.reverse().join('/')}` : '';
}

/** `file is 3.2 MB …` when `bytes` is over the limit, else null. */
export function fileSizeProblem(bytes: number): string | null {
  if (bytes <= RULE_FILE_LIMITS.maxFileBytes) return null;
  return `the file has ${formatBytes(bytes)}; a rule file may have at most ${formatBytes(RULE_FILE_LIMITS.maxFileBytes)}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Checks a parsed file against the limits: JSON nesting and list lengths everywhere and, when
 * `isRule`, the nesting and number of conditions under `/conditions`. Returns the problems
 * (pointer and message, without the file name); empty when the file is within the limits.
 */
export function limitProblems(value: unknown, isRule: boolean): Array<Omit<LintMessage, 'file'>> {
  const problems: Array<Omit<LintMessage, 'file'>> = [];
  const conditions = isRule ? conditionProblems(value) : [];
  problems.push(...conditions);
  let tooDeep = conditions.some((p) => p.message.startsWith('conditions are nested'));
  let longLists = 0;
  // Depth-first with an explicit stack; children beyond the depth limit are never visited.
  const stack: Array<{ node: unknown; path: Path | null; depth: number }> = [{ node: value, path: null, depth: 0 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > RULE_FILE_LIMITS.maxJsonDepth) {
      if (!tooDeep) problems.push({ pointer: pointerOf(path), message: `objects and arrays are nested more than ${RULE_FILE_LIMITS.maxJsonDepth} levels deep` });
      tooDeep = true;
      continue;
    }
    if (Array.isArray(node)) {
      if (node.length > RULE_FILE_LIMITS.maxListItems) {
        if (++longLists <= MAX_LIST_MESSAGES) {
          problems.push({ pointer: pointerOf(path), message: `the list has ${node.length} items; a list may have at most ${RULE_FILE_LIMITS.maxListItems}` });
        }
        continue;
      }
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], path: { parent: path, token: String(i) }, depth: depth + 1 });
    } else {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ node: (node as Record<string, unknown>)[keys[i]!], path: { parent: path, token: keys[i]! }, depth: depth + 1 });
      }
    }
  }
  if (longLists > MAX_LIST_MESSAGES) problems.push({ pointer: '', message: `${longLists - MAX_LIST_MESSAGES} more lists have more than ${RULE_FILE_LIMITS.maxListItems} items` });
  return problems;
}

/** Group nesting and condition count of `/conditions`, iteratively. */
function conditionProblems(rule: unknown): Array<Omit<LintMessage, 'file'>> {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return [];
  const root = (rule as Record<string, unknown>).conditions;
  const problems: Array<Omit<LintMessage, 'file'>> = [];
  let count = 0;
  let tooDeep = false;
  // `groups`: the all/any/not groups around the node, the node itself included if it is one.
  const stack: Array<{ node: unknown; path: Path; groups: number }> = [{ node: root, path: { parent: null, token: 'conditions' }, groups: 0 }];
  while (stack.length > 0) {
    const { node, path, groups } = stack.pop()!;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    const record = node as Record<string, unknown>;
    const key = ['all', 'any', 'not'].find((k) => k in record);
    if (!key) {
      if ('fact' in record) count++;
      continue;
    }
    if (groups + 1 > RULE_FILE_LIMITS.maxConditionDepth) {
      if (!tooDeep) problems.push({ pointer: pointerOf(path), message: `conditions are nested more than ${RULE_FILE_LIMITS.maxConditionDepth} levels deep ("all", "any", "not"); flatten them` });
      tooDeep = true;
      continue;
    }
    const child = record[key];
    if (Array.isArray(child)) {
      // A list over the item limit is reported by the generic walk.
      if (child.length > RULE_FILE_LIMITS.maxListItems) continue;
      const list: Path = { parent: path, token: key };
      for (let i = child.length - 1; i >= 0; i--) stack.push({ node: child[i], path: { parent: list, token: String(i) }, groups: groups + 1 });
    } else {
      stack.push({ node: child, path: { parent: path, token: key }, groups: groups + 1 });
    }
  }
  if (count > RULE_FILE_LIMITS.maxConditions) {
    problems.push({ pointer: '/conditions', message: `the rule has ${count} conditions; a rule may have at most ${RULE_FILE_LIMITS.maxConditions}` });
  }
  return problems;
}
