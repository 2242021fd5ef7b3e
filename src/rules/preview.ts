/**
 * `rules preview` and the rules page's draft preview: compares what a draft rule set and the
 * current one fire over the same households. previewRuleSets walks the households of a
 * PreviewFactsSource in batches (the caller binds it to the facts repository) and feeds a
 * PreviewAccumulator. Pure: no database access of its own. Only household ids and county
 * codes are kept.
 */
import { createEvaluator } from './evaluate.js';
import type { Finding, HouseholdFacts, RuleParameters, RuleSet } from './types.js';

export interface PreviewRuleLine {
  ruleId: string;
  /** Chinese name (from the draft, else the current set). */
  name: string;
  /** Households the draft fires for. */
  draft: number;
  /** Households the current set fires for. */
  current: number;
  /** Households that would start firing (draft yes, current no), by id. */
  started: string[];
  /** Households that would stop firing (current yes, draft no), by id. */
  stopped: string[];
  /** Draft firings per county code. */
  byCounty: Record<string, number>;
  /** Whether the rule exists only in the draft / only in the current set. */
  status: 'both' | 'added' | 'removed';
}

export interface PreviewReport {
  period: string;
  households: number;
  draftVersion: string;
  currentVersion: string;
  /** Households the draft fires any rule for, per county. */
  byCounty: Record<string, { households: number; firing: number }>;
  rules: PreviewRuleLine[];
}

export class PreviewAccumulator {
  readonly #lines = new Map<string, PreviewRuleLine>();
  readonly #counties: PreviewReport['byCounty'] = {};
  #households = 0;

  constructor(
    private readonly period: string,
    private readonly draft: RuleSet,
    private readonly current: RuleSet,
  ) {
    const currentIds = new Set(current.rules.map((r) => r.id));
    const draftIds = new Set(draft.rules.map((r) => r.id));
    for (const rule of [...draft.rules, ...current.rules]) {
      if (this.#lines.has(rule.id)) continue;
      const status = draftIds.has(rule.id) && currentIds.has(rule.id) ? 'both' : draftIds.has(rule.id) ? 'added' : 'removed';
      this.#lines.set(rule.id, { ruleId: rule.id, name: rule.name, draft: 0, current: 0, started: [], stopped: [], byCounty: {}, status });
    }
  }

  /** Adds one batch: facts with the draft's and the current set's findings, index by index. */
  add(facts: readonly HouseholdFacts[], draftFindings: readonly Finding[][], currentFindings: readonly Finding[][]): void {
    facts.forEach((f, i) => {
      const id = f.household.id;
      const county = f.household.countyCode;
      const d = new Set(draftFindings[i]!.map((x) => x.ruleId));
      const c = new Set(currentFindings[i]!.map((x) => x.ruleId));
      this.#households++;
      const countyLine = (this.#counties[county] ??= { households: 0, firing: 0 });
      countyLine.households++;
      if (d.size > 0) countyLine.firing++;
      for (const ruleId of d) {
        const line = this.#lines.get(ruleId)!;
        line.draft++;
        line.byCounty[county] = (line.byCounty[county] ?? 0) + 1;
        if (!c.has(ruleId)) line.started.push(id);
      }
      for (const ruleId of c) {
        const line = this.#lines.get(ruleId)!;
        line.current++;
        if (!d.has(ruleId)) line.stopped.push(id);
      }
    });
  }

  report(): PreviewReport {
    const sortedCounties = Object.fromEntries(Object.entries(this.#counties).sort(([a], [b]) => a.localeCompare(b)));
    return {
      period: this.period,
      households: this.#households,
      draftVersion: this.draft.version,
      currentVersion: this.current.version,
      byCounty: sortedCounties,
      rules: [...this.#lines.values()].map((l) => ({
        ...l,
        byCounty: Object.fromEntries(Object.entries(l.byCounty).sort(([a], [b]) => a.localeCompare(b))),
      })),
    };
  }
}

/** Where a preview gets its households and their facts (in practice the facts repository). */
export interface PreviewFactsSource {
  /** Up to `limit` household ids after `after` (exclusive), in id order; empty when there are no more. */
  householdIds(after: string | undefined, limit: number): Promise<string[]>;
  /** The facts of `ids` for the preview's period, computed with a rule set's parameters. */
  facts(ids: string[], parameters: RuleParameters): Promise<HouseholdFacts[]>;
}

export interface PreviewInput {
  /** Period text, e.g. `2026-Q3` (the source's facts must be for this period). */
  period: string;
  draft: RuleSet;
  current: RuleSet;
  source: PreviewFactsSource;
  /** Households per batch. Default 1000. */
  batchSize?: number;
}

/**
 * What `draft` would fire compared with `current`, over every household of the source. Writes
 * nothing. Each set's facts are computed with its own parameters (the monitoring line); when
 * both are the same set (or share their parameters), facts and findings are computed once.
 */
export async function previewRuleSets(input: PreviewInput): Promise<PreviewReport> {
  const { draft, current, source, batchSize = 1000 } = input;
  const draftEvaluator = createEvaluator(draft);
  const currentEvaluator = draft === current ? draftEvaluator : createEvaluator(current);
  const accumulator = new PreviewAccumulator(input.period, draft, current);
  let after: string | undefined;
  for (;;) {
    const ids = await source.householdIds(after, batchSize);
    if (ids.length === 0) break;
    after = ids.at(-1);
    const draftFacts = await source.facts(ids, draft.parameters);
    const currentFacts = draft.parameters === current.parameters ? draftFacts : await source.facts(ids, current.parameters);
    const d = await draftEvaluator.evaluateBatch(draftFacts);
    const c = draftEvaluator === currentEvaluator && draftFacts === currentFacts ? d : await currentEvaluator.evaluateBatch(currentFacts);
    accumulator.add(draftFacts, d, c);
  }
  return accumulator.report();
}
