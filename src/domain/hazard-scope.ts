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

/** Whether a hazard's place covers a household: same county; township empty or equal (trimmed); industries empty or containing its main industry. */
export function hazardReaches(hazard: HazardPlace, household: HouseholdPlace): boolean {
  if (hazard.countyCode !== household.countyCode) return false;
  const township = hazard.township?.trim() ?? '';
  if (township !== '' && township !== (household.township?.trim() ?? '')) return false;
  const industries = hazard.industries ?? [];
  return industries.length === 0 || industries.includes(household.mainIndustry);
}

/** Whether a hazard's [start, end or ∞] overlaps the days [`start`, `end`] (`YYYY-MM-DD`, inclusive). */
export function hazardOverlaps(hazard: HazardSpan, start: string, end: string): boolean {
  return hazard.startDate <= end && !(hazard.endDate && hazard.endDate < start);
}
