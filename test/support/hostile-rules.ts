/**
 * Hostile rule files, generated: the shipped `industry-income-drop` rule with its conditions
 * replaced by conditions nested thousands of levels deep, or by a `notIn` list of millions of
 * values (written in pieces, so the test process never holds the whole list).
 *
 *   const dir = hostileRuleDir({ notInValues: 3_000_000 });  // a copy of rules/ with that file
 *   ruleWithConditions(nestedAll(2_000))                       // the file's text
 */
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOSTILE_FILE = 'industry-income-drop.json';
export const LEAF = '{"fact":"industryIncomeChangePct","operator":"lessThan","value":-20}';
const MARK = '"@conditions@"';

/** `levels` groups of "all", one inside the other, around one condition. */
export const nestedAll = (levels: number): string => `${'{"all":['.repeat(levels)}${LEAF}${']}'.repeat(levels)}`;
/** `levels` groups: an "all" holding "not" groups one inside the other. */
export const nestedNot = (levels: number): string => `{"all":[${'{"not":'.repeat(levels - 1)}${LEAF}${'}'.repeat(levels - 1)}]}`;

/** The shipped rule's text with `conditions` (JSON text) spliced in unparsed. */
export function ruleWithConditions(conditions: string): string {
  const [before, after] = template();
  return `${before}${conditions}${after}`;
}

function template(): [string, string] {
  const rule = JSON.parse(readFileSync(join('rules', HOSTILE_FILE), 'utf8')) as Record<string, unknown>;
  const text = JSON.stringify({ ...rule, conditions: '@conditions@' });
  const at = text.indexOf(MARK);
  return [text.slice(0, at), text.slice(at + MARK.length)];
}

/**
 * A copy of rules/ in a new temporary directory whose HOSTILE_FILE has the given conditions
 * text, or a `notIn` list of `notInValues` household ids. The caller removes the directory.
 */
export function hostileRuleDir(spec: { conditions: string } | { notInValues: number }): string {
  const dir = mkdtempSync(join(tmpdir(), 'iw-hostile-rules-'));
  cpSync('rules', dir, { recursive: true });
  const [before, after] = template();
  const fd = openSync(join(dir, HOSTILE_FILE), 'w');
  try {
    if ('conditions' in spec) {
      writeSync(fd, `${before}${spec.conditions}${after}`);
    } else {
      writeSync(fd, `${before}{"all":[{"fact":"household","path":"$.id","operator":"notIn","value":[`);
      for (let i = 0; i < spec.notInValues; i += 100_000) {
        const piece: string[] = [];
        for (let k = i; k < Math.min(i + 100_000, spec.notInValues); k++) piece.push(`"H${10_000_000 + k}"`);
        writeSync(fd, `${i > 0 ? ',' : ''}${piece.join(',')}`);
      }
      writeSync(fd, `]}]}${after}`);
    }
  } finally {
    closeSync(fd);
  }
  return dir;
}
