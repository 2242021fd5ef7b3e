/**
 * Sensible default facts — a household with steady income, no hazards, steady prices — onto
 * which rule-test fixtures and unit tests merge the facts they care about. Pure.
 */
import type { HazardType, SignalKind } from '../domain/catalog.js';
import { DEFAULT_MEDICAL_EXPENSE_SHARE_PCT, emptyExposure, emptySignalTotals } from './facts.js';
import type { HouseholdFact, HouseholdFacts } from './types.js';

/** The object facts a fixture gives key by key (the other keys keep their defaults). */
type MergedFacts = 'household' | 'exposure' | 'signals';

/** Facts a fixture may give: any top-level fact, with the object facts merged key by key. */
export type PartialFacts = Partial<Omit<HouseholdFacts, MergedFacts>> & {
  household?: Partial<HouseholdFact>;
  exposure?: Partial<Record<HazardType, number>>;
  signals?: Partial<Record<SignalKind, number>>;
};

/** A quiet household in 2026-Q3: income unchanged, above the monitoring line, no hazards, no department signals. */
export function defaultFacts(overrides: PartialFacts = {}): HouseholdFacts {
  const { household, exposure, signals, ...rest } = overrides;
  return {
    household: {
      id: 'H-TEST-0001',
      countyCode: '131022',
      township: '固安镇',
      village: '东村',
      category: 'poverty_alleviated',
      members: 3,
      mainIndustry: 'vegetables',
      ...household,
    },
    period: '2026-Q3',
    baselinePeriod: '2025-Q3',
    industryIncome: 10000,
    industryIncomeBaseline: 10000,
    industryIncomeChangePct: 0,
    netIncome: 12000,
    netIncomeBaseline: 12000,
    netIncomeChangePct: 0,
    perCapitaNetIncome12m: 16000,
    monitoringLine: 8300,
    exposure: { ...emptyExposure(), ...exposure },
    priceChangePct: 0,
    netIncome12m: 48000,
    signals: { ...emptySignalTotals().count, ...signals },
    medicalExpenseSharePct12m: 0,
    medicalExpenseShareLine: DEFAULT_MEDICAL_EXPENSE_SHARE_PCT,
    monitoringStatus: 'none',
    ...rest,
  };
}
