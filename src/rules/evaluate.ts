/**
 * Evaluation: (rule set, facts) → findings. One json-rules-engine Engine per rule set, built
 * once and reused for every household; results come from engine.run()'s return value (no
 * listeners). Runs on one engine are serialised, because the engine keeps a shared run status
 * that concurrent runs would clobber. Pure: no database, queue, mail or HTTP.
 *
 * Batches reuse the engine's decision for households whose facts are equivalent for every
 * condition of the rule set (see decisionKey): the engine decides once per class of equivalent
 * fact sets, and each household of the class gets that decision.
 */
import { Engine, Fact, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { explainRule } from './explain.js';
import { factSide, resolvePath } from './fact-path.js';
import { OPERATORS } from './rule.schema.js';
import type { EvaluationResult, Evaluator, Finding, HouseholdFacts, RuleDefinition, RuleSet } from './types.js';

/** The fact ids a condition tree references (leaves and `{ "fact": … }` values). */
export function referencedFacts(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) referencedFacts(child, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.fact === 'string') out.add(record.fact);
    for (const value of Object.values(record)) if (value && typeof value === 'object') referencedFacts(value, out);
  }
  return out;
}

/**
 * Runtime facts as json-rules-engine Fact objects without caching: by default the engine
 * hashes every runtime fact (hash-it) on every run, which costs more than the rules themselves.
 * Constant facts need no cache. Only the facts the rules reference are passed.
 */
function runtimeFacts(facts: HouseholdFacts, ids: readonly string[]): Record<string, Fact> {
  const out: Record<string, Fact> = {};
  const source = facts as unknown as Record<string, unknown>;
  for (const id of ids) out[id] = new Fact(id, source[id], NO_CACHE);
  return out;
}

const NO_CACHE = { cache: false };

/** The four default operators whose result depends only on how two numbers compare. */
const COMPARISONS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/** A leaf condition as decisionKey reads it: where its two sides come from. */
interface KeyLeaf {
  fact: string;
  path: string;
  comparison: boolean;
  /** The right-hand side when it is a fact (`"value": { "fact": … }`); else it is a constant. */
  valueFact?: { fact: string; path: string };
  /** The constant right-hand side when it is a number (not NaN). */
  constant?: number;
}

/**
 * The leaves of a rule set's conditions, or undefined when a condition has a form the key does
 * not model (condition references, `params`, an operator that is not one of json-rules-engine's
 * built-ins, which are pure functions of their two sides): such a rule set is evaluated
 * household by household.
 */
export function keyLeaves(conditions: readonly unknown[]): KeyLeaf[] | undefined {
  const out: KeyLeaf[] = [];
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  function walk(node: unknown): boolean {
    if (Array.isArray(node)) return node.every(walk);
    if (!node || typeof node !== 'object') return false;
    const n = node as Record<string, unknown>;
    if (has(n, 'any')) return walk(n.any);
    if (has(n, 'all')) return walk(n.all);
    if (has(n, 'not')) return walk(n.not);
    if (has(n, 'condition') || n.params !== undefined || typeof n.fact !== 'string' || typeof n.operator !== 'string') return false;
    if (!Object.hasOwn(OPERATORS, n.operator)) return false;
    const leaf: KeyLeaf = { fact: n.fact, path: typeof n.path === 'string' ? n.path : '', comparison: COMPARISONS.has(n.operator) };
    const value = n.value;
    if (value != null && typeof value === 'object' && has(value, 'fact')) {
      const v = value as Record<string, unknown>;
      if (typeof v.fact !== 'string' || v.params !== undefined) return false;
      leaf.valueFact = { fact: v.fact, path: typeof v.path === 'string' ? v.path : '' };
    } else if (typeof value === 'number' && !Number.isNaN(value)) leaf.constant = value;
    out.push(leaf);
    return true;
  }
  return conditions.every(walk) ? out : undefined;
}

/** A primitive as key text (type-tagged, so 1, "1", null and undefined differ); undefined for objects. */
function primitiveKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'N' : `n${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'undefined':
      return 'u';
    case 'bigint':
      return `b${value}`;
    default:
      return value === null ? 'z' : undefined;
  }
}

/**
 * A key such that two fact sets with the same key get the same decision from the engine, or
 * undefined when the facts cannot be keyed (an object compared whole). Why it is sound: the
 * engine's decision (which rules fire) is a function of its leaf results only (the boolean
 * operators and priorities combine them; events are fixed per rule), and a leaf's result is its
 * operator applied to its two resolved sides. The key holds, per leaf, either both sides
 * exactly (any operator is a function of them), or — for lessThan(Inclusive) and
 * greaterThan(Inclusive) with two non-NaN numbers, which json-rules-engine evaluates as
 * numberValidator(lhs) && lhs OP rhs, numberValidator being true for such numbers — only the
 * comparison's sign, which determines the result.
 */
export function decisionKey(leaves: readonly KeyLeaf[], facts: HouseholdFacts): string | undefined {
  const source = facts as unknown as Record<string, unknown>;
  let key = '';
  for (const leaf of leaves) {
    const left = factSide(source, leaf.fact, leaf.path);
    const right = leaf.valueFact ? factSide(source, leaf.valueFact.fact, leaf.valueFact.path) : leaf.constant;
    if (leaf.comparison && typeof left === 'number' && !Number.isNaN(left) && typeof right === 'number' && !Number.isNaN(right)) {
      key += left < right ? '<|' : left > right ? '>|' : '=|';
      continue;
    }
    const l = primitiveKey(left);
    if (l === undefined) return undefined;
    if (leaf.valueFact) {
      const r = primitiveKey(right);
      if (r === undefined) return undefined;
      key += `${l}~${r}|`;
    } else key += `${l}|`;
  }
  return key;
}

function toFinding(rule: RuleDefinition): Finding {
  return Object.freeze({ ruleId: rule.id, severity: rule.severity, cause: rule.cause, slaDays: rule.slaDays });
}

export interface EvaluatorOptions {
  /**
   * Reuse the engine's decision for households with equivalent facts (decisionKey) in
   * evaluateBatch. Default true; false runs the engine for every household (benchmarks of the
   * engine itself).
   */
  reuseDecisions?: boolean;
}

/** Decisions kept per evaluator before the cache starts over (classes are few: tens to hundreds). */
const MAX_DECISIONS = 10_000;

/** Creates the evaluator of a rule set (build it once per version and reuse it). */
export function createEvaluator(ruleSet: RuleSet, options: EvaluatorOptions = {}): Evaluator {
  const engine = new Engine([], {
    allowUndefinedFacts: true,
    allowUndefinedConditions: false,
    replaceFactsInEventParams: false,
    pathResolver: resolvePath as (value: object, path: string) => unknown,
  });
  const order = new Map<string, number>();
  const findingOf = new Map<string, Finding>();
  ruleSet.rules.forEach((rule, index) => {
    const properties: RuleProperties = {
      name: rule.id,
      conditions: structuredClone(rule.conditions) as unknown as TopLevelCondition,
      event: { type: rule.id },
    };
    if (rule.priority !== undefined) properties.priority = rule.priority;
    engine.addRule(properties);
    order.set(rule.id, index);
    findingOf.set(rule.id, toFinding(rule));
  });

  const factIds = [...referencedFacts(ruleSet.rules.map((r) => r.conditions))];
  const leaves = options.reuseDecisions === false ? undefined : keyLeaves(ruleSet.rules.map((r) => r.conditions));
  const decisions = new Map<string, Finding[]>();
  let tail: Promise<unknown> = Promise.resolve();

  async function findings(facts: HouseholdFacts): Promise<Finding[]> {
    const result = await engine.run(runtimeFacts(facts, factIds));
    const fired: Finding[] = [];
    for (const event of result.events) {
      const finding = findingOf.get(event.type);
      if (finding) fired.push(finding);
    }
    if (fired.length > 1) fired.sort((a, b) => order.get(a.ruleId)! - order.get(b.ruleId)!);
    return fired;
  }

  /** Queues `task` behind every earlier run on this engine. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const next = tail.then(task, task);
    tail = next.catch(() => undefined);
    return next;
  }

  return {
    ruleSet,
    evaluate(facts, options = {}): Promise<EvaluationResult> {
      return serial(async () => {
        const fired = await findings(facts);
        if (!options.explain) return { findings: fired };
        const firedIds = new Set(fired.map((f) => f.ruleId));
        return { findings: fired, explanations: ruleSet.rules.map((rule) => explainRule(rule, facts, firedIds.has(rule.id))) };
      });
    },
    evaluateBatch(batch): Promise<Finding[][]> {
      return serial(async () => {
        const out: Finding[][] = new Array(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const facts = batch[i]!;
          const key = leaves && decisionKey(leaves, facts);
          if (key === undefined) {
            out[i] = await findings(facts);
            continue;
          }
          let decided = decisions.get(key);
          if (!decided) {
            decided = await findings(facts);
            if (decisions.size >= MAX_DECISIONS) decisions.clear();
            decisions.set(key, decided);
          }
          out[i] = decided.slice();
        }
        return out;
      });
    },
  };
}

/**
 * The process's one cache of rule sets: version → evaluator (which carries its rule set). The
 * cycle's batches (src/cycle/rule-set.provider.ts) and the task page's explanations read
 * stored versions through it. A version is a content hash, so an entry never goes stale.
 */
const cache = new Map<string, Evaluator>();
const CACHE_SIZE = 16;

/** The evaluator of a rule-set version, created on first use (keeps the latest few versions). */
export function evaluatorFor(ruleSet: RuleSet): Evaluator {
  let evaluator = cache.get(ruleSet.version);
  if (!evaluator) {
    evaluator = createEvaluator(ruleSet);
    cache.set(ruleSet.version, evaluator);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return evaluator;
}

/** The cached evaluator of a version, if this process has built it. */
export function cachedEvaluator(version: string): Evaluator | undefined {
  return cache.get(version);
}
