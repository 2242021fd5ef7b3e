/**
 * `rules lint`: checks rule files against the JSON Schema (ajv) and semantically — known facts
 * and paths, known operators, values of the right type for their operator, event.type = id,
 * unique ids — and parameters.json. Every message names the file and a JSON pointer. Pure:
 * takes file texts, returns the report and, when there is no error, the parsed set.
 *
 * A file beyond the documented limits (rule-file.limits.ts: size, nesting, list length,
 * conditions per rule) is refused before the schema and the recursive condition checks see it,
 * so no file can make lint (or the engine later) overflow the stack or run for minutes.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { beijingDay } from '../domain/beijing-time.js';
import { monitoringLineYear } from './facts.js';
import { parseJsonText } from './json-source.js';
import { escapePointer, fileSizeProblem, limitProblems, RULE_FILE_LIMITS } from './rule-file.limits.js';
import { FACTS, type FactValueType, OPERATORS, PARAMETERS_FILE, PARAMETERS_SCHEMA, RULE_FILE_SCHEMA } from './rule.schema.js';
import type { LintMessage, LintReport, RuleDefinition, RuleParameters } from './types.js';

export { escapePointer };

/** One file of a rule directory: its name (relative) and its text. */
export interface RuleFileSource {
  file: string;
  text: string;
  /** Set when the file was too large to be read: its size in bytes (`text` is then empty). */
  oversizeBytes?: number;
}

export interface LintOptions {
  /** Years checked for a recent monitoring line (warning when the nearest is more than one year older). Default: the current year in Beijing. */
  years?: readonly number[];
}

export interface LintResult {
  report: LintReport;
  /** The rules, in file-name order (complete only when there is no error). */
  rules: RuleDefinition[];
  parameters: RuleParameters | null;
  /** File name → parsed JSON. */
  files: Record<string, unknown>;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateRule = ajv.compile(RULE_FILE_SCHEMA);
const validateParameters = ajv.compile(PARAMETERS_SCHEMA);

const LEAF_KEYS = new Set(['fact', 'operator', 'value', 'path', 'params', 'name', 'priority']);

/** Lints a whole rule set (rule files plus parameters.json). Never throws. */
export function lintRuleFiles(sources: readonly RuleFileSource[], options: LintOptions = {}): LintResult {
  const errors: LintMessage[] = [];
  const warnings: LintMessage[] = [];
  const files: Record<string, unknown> = {};
  const rules: RuleDefinition[] = [];
  let parameters: RuleParameters | null = null;
  const ids = new Map<string, string>();

  const sorted = [...sources].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (!sorted.some((s) => s.file === PARAMETERS_FILE)) {
    errors.push({ file: PARAMETERS_FILE, pointer: '', message: 'parameters.json is missing (it holds the monitoring lines)' });
  }
  for (const source of sorted) {
    const tooLarge = fileSizeProblem(source.oversizeBytes ?? Buffer.byteLength(source.text, 'utf8'));
    if (tooLarge) {
      errors.push({ file: source.file, pointer: '', message: tooLarge });
      continue;
    }
    const parsed = parseJsonText(source.text, { maxDepth: RULE_FILE_LIMITS.maxJsonDepth });
    if (!parsed.ok) {
      errors.push({ file: source.file, pointer: '', message: parsed.error.message });
      continue;
    }
    const beyondLimits = limitProblems(parsed.value, source.file !== PARAMETERS_FILE);
    if (beyondLimits.length > 0) {
      errors.push(...beyondLimits.map((p) => ({ file: source.file, ...p })));
      continue;
    }
    files[source.file] = parsed.value;
    const at = (pointer: string, message: string): LintMessage => ({ file: source.file, pointer, message });
    if (source.file === PARAMETERS_FILE) {
      if (!validateParameters(parsed.value)) {
        errors.push(...schemaMessages(source.file, validateParameters.errors));
        continue;
      }
      parameters = parsed.value as unknown as RuleParameters;
      const years = options.years ?? [Number(beijingDay(new Date()).slice(0, 4))];
      for (const year of years) {
        const problem = monitoringLineProblem(parameters, year);
        if (problem) warnings.push(at('/monitoringLines', problem));
      }
      continue;
    }
    const before = errors.length;
    if (!validateRule(parsed.value)) errors.push(...schemaMessages(source.file, validateRule.errors));
    const rule = parsed.value as Record<string, unknown>;
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) continue;
    if (rule.conditions && typeof rule.conditions === 'object' && !Array.isArray(rule.conditions)) {
      lintTopLevel(rule.conditions as Record<string, unknown>, '/conditions', (p, m) => errors.push(at(p, m)));
    }
    const id = typeof rule.id === 'string' ? rule.id : undefined;
    const event = rule.event as { type?: unknown } | undefined;
    if (id && event && typeof event === 'object' && typeof event.type === 'string' && event.type !== id) {
      errors.push(at('/event/type', `event.type "${event.type}" must equal the rule id "${id}"`));
    }
    if (id) {
      const other = ids.get(id);
      if (other) errors.push(at('/id', `duplicate rule id "${id}" (also in ${other})`));
      else ids.set(id, source.file);
      if (source.file !== `${id}.json`) warnings.push(at('/id', `rule "${id}" is in ${source.file}; name the file ${id}.json`));
    }
    if (errors.length === before) rules.push(toDefinition(source.file, rule));
  }
  if (rules.length === 0 && errors.length === 0) warnings.push({ file: '', pointer: '', message: 'the rule set has no rules' });
  return { report: { errors, warnings }, rules, parameters, files };
}

/**
 * A year without its own monitoring line uses the latest earlier year's: that is policy (a
 * province publishes its line during the year), so it is only worth a warning when that line is
 * more than one year older than the year, or when no earlier year has one at all.
 */
function monitoringLineProblem(parameters: RuleParameters, year: number): string | null {
  const used = monitoringLineYear(parameters, year);
  if (used === null) return `no monitoring line for ${year} or any earlier year: the earliest configured year's value is used`;
  if (year - used > 1) return `no monitoring line for ${year} or ${year - 1}: the ${used} value is used; add the current line for ${year}`;
  return null;
}

function toDefinition(file: string, rule: Record<string, unknown>): RuleDefinition {
  const definition: RuleDefinition = {
    file,
    id: rule.id as string,
    name: rule.name as string,
    description: rule.description as string,
    severity: rule.severity as RuleDefinition['severity'],
    cause: rule.cause as RuleDefinition['cause'],
    slaDays: rule.slaDays as number,
    conditions: rule.conditions as Record<string, unknown>,
    event: rule.event as RuleDefinition['event'],
  };
  if (typeof rule.priority === 'number') definition.priority = rule.priority;
  return definition;
}

function schemaMessages(file: string, errors: ErrorObject[] | null | undefined): LintMessage[] {
  return (errors ?? []).map((e) => {
    let pointer = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const property = (e.params as { missingProperty: string }).missingProperty;
      pointer = `${pointer}/${escapePointer(property)}`;
      message = `"${property}" is missing`;
    } else if (e.keyword === 'additionalProperties') {
      const property = (e.params as { additionalProperty: string }).additionalProperty;
      pointer = `${pointer}/${escapePointer(property)}`;
      message = `unknown property "${property}"`;
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'propertyNames') {
      pointer = `${pointer}/${escapePointer(String((e.params as { propertyName: string }).propertyName))}`;
      message = 'must be a year such as "2026"';
    }
    return { file, pointer, message };
  });
}

type Report = (pointer: string, message: string) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lintTopLevel(node: Record<string, unknown>, pointer: string, report: Report): void {
  if ('fact' in node) {
    report(pointer, 'the top level of conditions must be "all", "any" or "not"; wrap the condition in { "all": [ … ] }');
    return;
  }
  lintNode(node, pointer, report);
}

function lintNode(node: unknown, pointer: string, report: Report): void {
  if (!isObject(node)) {
    report(pointer, 'a condition must be an object');
    return;
  }
  const groups = ['all', 'any', 'not', 'condition'].filter((k) => k in node);
  if (groups.length > 1) report(pointer, `a condition has exactly one of "all", "any", "not" (found ${groups.join(', ')})`);
  if (groups.includes('condition')) {
    report(`${pointer}/condition`, 'shared conditions ("condition") are not supported; write the condition out');
    return;
  }
  if (groups.includes('all') || groups.includes('any')) {
    const key = groups.includes('all') ? 'all' : 'any';
    const list = node[key];
    if (!Array.isArray(list) || list.length === 0) {
      report(`${pointer}/${key}`, `"${key}" must be a non-empty array of conditions`);
      return;
    }
    list.forEach((child, i) => lintNode(child, `${pointer}/${key}/${i}`, report));
    for (const k of Object.keys(node)) if (k !== key && k !== 'name' && k !== 'priority') report(`${pointer}/${escapePointer(k)}`, `unknown property "${k}"`);
    return;
  }
  if (groups.includes('not')) {
    lintNode(node.not, `${pointer}/not`, report);
    return;
  }
  if (!('fact' in node)) {
    report(pointer, 'a condition needs "fact", "operator" and "value" (or "all", "any", "not")');
    return;
  }
  lintLeaf(node, pointer, report);
}

/** The value type a fact (with optional path) yields, or an error message. */
function factType(fact: unknown, path: unknown): { type: FactValueType } | { error: string; where: 'fact' | 'path' } {
  if (typeof fact !== 'string') return { error: '"fact" must be a string', where: 'fact' };
  const spec = FACTS[fact];
  if (!spec) return { error: `unknown fact "${fact}"; known facts: ${Object.keys(FACTS).join(', ')}`, where: 'fact' };
  if (spec.paths) {
    if (path === undefined) return { error: `fact "${fact}" is an object: add a "path" such as "$.${Object.keys(spec.paths)[0]}"`, where: 'fact' };
    const m = typeof path === 'string' ? /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(path) : null;
    const type = m ? spec.paths[m[1]!] : undefined;
    if (!type) return { error: `unknown path ${JSON.stringify(path)} for fact "${fact}"; use one of ${Object.keys(spec.paths).map((k) => `$.${k}`).join(', ')}`, where: 'path' };
    return { type };
  }
  if (path !== undefined) return { error: `fact "${fact}" is not an object and takes no "path"`, where: 'path' };
  return { type: spec.type };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function lintLeaf(node: Record<string, unknown>, pointer: string, report: Report): void {
  for (const k of Object.keys(node)) if (!LEAF_KEYS.has(k)) report(`${pointer}/${escapePointer(k)}`, `unknown property "${k}" in a condition`);
  if ('params' in node) report(`${pointer}/params`, 'facts take no "params"');
  const left = factType(node.fact, node.path);
  if ('error' in left) report(`${pointer}/${left.where}`, left.error);
  const operatorName = node.operator;
  const operator = typeof operatorName === 'string' ? OPERATORS[operatorName] : undefined;
  if (!operator) {
    report(`${pointer}/operator`, `unknown operator ${JSON.stringify(operatorName)}; use one of ${Object.keys(OPERATORS).join(', ')}`);
  }
  if (!('value' in node)) {
    report(`${pointer}/value`, '"value" is missing');
    return;
  }
  let valueType: string = jsonType(node.value);
  if (isObject(node.value)) {
    if (!('fact' in node.value)) {
      report(`${pointer}/value`, 'an object value must reference a fact: { "fact": "monitoringLine" }');
      return;
    }
    const right = factType(node.value.fact, node.value.path);
    if ('error' in right) {
      report(`${pointer}/value/${right.where}`, right.error);
      return;
    }
    valueType = right.type;
  }
  if (!operator || 'error' in left) return;
  const op = String(operatorName);
  if (operator.fact === 'number' && left.type !== 'number') report(`${pointer}/operator`, `operator "${op}" compares numbers, but fact "${String(node.fact)}" is a ${left.type}`);
  if (operator.fact === 'array') report(`${pointer}/operator`, `operator "${op}" needs a fact that is a list; "${String(node.fact)}" is a ${left.type}`);
  if (operator.value === 'number' && valueType !== 'number') report(`${pointer}/value`, `operator "${op}" needs a number, got ${valueType} ${JSON.stringify(node.value)}`);
  if (operator.value === 'array') {
    if (valueType !== 'array') report(`${pointer}/value`, `operator "${op}" needs an array, got ${valueType} ${JSON.stringify(node.value)}`);
    else (node.value as unknown[]).forEach((item, i) => {
      if (item !== null && jsonType(item) !== left.type) report(`${pointer}/value/${i}`, `fact "${String(node.fact)}" is a ${left.type}, but this item is a ${jsonType(item)}`);
    });
  }
  if (operator.value === 'any' && operator.fact === 'any' && valueType !== 'null' && valueType !== left.type) {
    report(`${pointer}/value`, `fact "${String(node.fact)}" is a ${left.type}, but the value is a ${valueType} ${JSON.stringify(node.value)}`);
  }
}
