/**
 * Gathers what the household page and `GET /api/households/{id}` show, within the user's county
 * scope: the register (personal data masked unless a logged reveal is being shown), the
 * monitoring status with its history and timeline, and the income history. Reads only.
 */
import { getHouseholdView, householdAsRevealed, type HouseholdView } from '../../accounts/personal-data.service.js';
import { countyScope, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { NotFoundError } from '../../errors.js';
import { householdRecord, type HouseholdRecord } from '../../views/household.repository.js';
import { latestMonitoringLines, listIncomeHistory, type IncomeRow } from '../../views/household-view.repository.js';

/** The register (masked unless revealed) with the status, history and timeline: the API's household. */
export type HouseholdDetail = HouseholdView & HouseholdRecord;

export interface HouseholdPageData {
  household: HouseholdDetail;
  incomes: IncomeRow[];
  /** Monitoring line per year (yuan per person per year). */
  monitoringLines: Record<string, number>;
  /** The latest income period: the chart draws the rows of its kind. */
  chartPeriod: string;
}

/** The household with its record; NotFoundError for an unknown household or one of another county. */
export async function loadHouseholdDetail(
  db: Db,
  user: Principal,
  householdId: string,
  options: { revealed?: number; now?: Date } = {},
): Promise<HouseholdDetail> {
  const record = await householdRecord(db, householdId, { countyCode: countyScope(user) });
  if (!record) throw new NotFoundError({ zh: `户 ${householdId} 不存在或不属于本县`, en: `household ${householdId} not found` });
  const register =
    options.revealed === undefined
      ? await getHouseholdView(db, user, householdId)
      : await householdAsRevealed(db, user, householdId, options.revealed, options.now);
  return { ...register, ...record };
}

/** The household page's data; NotFoundError outside the user's county. */
export async function loadHouseholdPage(
  db: Db,
  user: Principal,
  householdId: string,
  options: { revealed?: number; now?: Date } = {},
): Promise<HouseholdPageData> {
  const household = await loadHouseholdDetail(db, user, householdId, options);
  const [incomes, monitoringLines] = await Promise.all([listIncomeHistory(db, householdId), latestMonitoringLines(db)]);
  return { household, incomes, monitoringLines, chartPeriod: incomes.at(-1)?.period ?? '' };
}
