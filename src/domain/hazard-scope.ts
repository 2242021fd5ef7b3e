/**
 * The scope of a hazard event: which households it touches, and when. The one definition used
 * by the facts (exposure, src/rules/facts.ts) and by the household's hazard list on the task
 * page (src/views/household-view.repository.ts). Pure.
 */

/** Where a hazard applies. */
export interface HazardPlace {
  countyCode: string;
  /** Empty, blank or null: the whole county. Compared trimmed. */
  township?: string | null;
  /** Industry codes; empty: every industry. */
  industries?: readonly string[] | null;
}

/** When a hazard applies: `YYYY-MM-DD`, both inclusive; no end date: ongoing. */
export interface HazardSpan {
  startDate: string;
  endDate?: string | null;
}

/** The household attributes a hazard's place is matched against. */
export interface HouseholdPlace {
  countyCode: string;
  township: string | null;
  mainIndustry: string;
}

/** Why a hazard's place does not cover a household; null when it does. */
export type HazardPlaceMiss = 'other_county' | 'other_township' | 'other_industry';

/**
 * Whether a hazard's place covers a household, and if not, why: same county; township empty or
 * equal (trimmed); industries empty or containing its main industry. Explanations say why an
 * event did not count (src/rules/sentence.ts) with the same test the exposure uses.
 */
export function hazardPlaceMiss(hazard: HazardPlace, household: HouseholdPlace): HazardPlaceMiss | null {
  if (hazard.countyCode !== household.countyCode) return 'other_county';
  const township = hazard.township?.trim() ?? '';
  if (township !== '' && township !== (household.township?.trim() ?? '')) return 'other_township';
  const industries = hazard.industries ?? [];
  return industries.length === 0 || industries.includes(household.mainIndustry) ? null : 'other_industry';
}

/** Whether a hazard's place covers a household (hazardPlaceMiss finds no reason against it). */
export function hazardReaches(hazard: HazardPlace, household: HouseholdPlace): boolean {
  return hazardPlaceMiss(hazard, household) === null;
}

/** Whether a hazard's [start, end or ∞] overlaps the days [`start`, `end`] (`YYYY-MM-DD`, inclusive). */
export function hazardOverlaps(hazard: HazardSpan, start: string, end: string): boolean {
  return hazard.startDate <= end && !(hazard.endDate && hazard.endDate < start);
}
