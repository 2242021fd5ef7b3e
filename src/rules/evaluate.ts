/**
 * Evaluation: (rule set, facts) → findings. One json-rules-engine Engine per rule set, built
 * once and reused for every household; results come from engine.run()'s return value (no
 * listeners). Runs on one engine are serialised, because the engine keeps a shared run status
 * that concurrent runs would clobber. Pure: no database, queue, mail or HTTP.
 */
import { Engine, Fact, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { explainRule } from './explain.js';
import { resolvePath } from './fact-path.js';
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

function toFinding(rule: RuleDefinition): Finding {
  return Object.freeze({ ruleId: rule.id, severity: rule.severity, cause: rule.cause, slaDays: rule.slaDays });
}

/** Creates the evaluator of a rule set (build it once per version and reuse it). */
export function createEvaluator(ruleSet: RuleSet): Evaluator {
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
        for (let i = 0; i < batch.length; i++) out[i] = await findings(batch[i]!);
        return out;
      });
    },
  };
}

const cache = new Map<string, Evaluator>();

/** The evaluator of a rule-set version, created on first use (keeps the latest few versions). */
export function evaluatorFor(ruleSet: RuleSet): Evaluator {
  let evaluator = cache.get(ruleSet.version);
  if (!evaluator) {
    evaluator = createEvaluator(ruleSet);
    cache.set(ruleSet.version, evaluator);
    while (cache.size > 4) cache.delete(cache.keys().next().value!);
  }
  return evaluator;
}
