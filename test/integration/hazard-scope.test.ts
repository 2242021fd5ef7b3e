/**
 * The scope of a hazard is written once (src/domain/hazard-scope.ts): on generated hazards
 * (townships with blanks and stray spaces, industry lists where empty means "all", dates) the
 * task page's hazard list, read from PostgreSQL, holds exactly the hazards that touch the
 * household in some period according to the facts, and the facts' exposure computed from the
 * page's list equals the exposure computed from every hazard.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDUSTRIES } from '../../src/domain/catalog.js';
import { parsePeriod, type Period } from '../../src/domain/period.js';
import { exposureOf, hazardTouches, type HazardRecord } from '../../src/rules/facts.js';
import type { HouseholdFact } from '../../src/rules/types.js';
import { listHouseholdHazards } from '../../src/views/household-view.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const COUNTIES = ['131002', '131003'];
const INDUSTRY_CODES = Object.keys(INDUSTRIES).slice(0, 4);
const HAZARD_TYPES = ['natural_disaster', 'animal_epidemic', 'crop_pest', 'unsalable', 'price_slump'];

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase('hazardscope');
  await t.db
    .insertInto('counties')
    .values(COUNTIES.map((code) => ({ county_code: code, name: code, emails: [], escalation_emails: [] })))
    .onConflict((oc) => oc.doNothing())
    .execute();
});

afterAll(async () => {
  await t?.drop();
});

const day = fc
  .record({ year: fc.integer({ min: 2024, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, month, day: d }) => `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const hazard = fc
  .record({
    type: fc.constantFrom(...HAZARD_TYPES),
    countyCode: fc.constantFrom(...COUNTIES),
    township: fc.constantFrom(null, '', '  ', '胜芳镇', ' 胜芳镇 ', '信安镇'),
    industries: fc.uniqueArray(fc.constantFrom(...INDUSTRY_CODES), { maxLength: 3 }),
    severity: fc.integer({ min: 1, max: 4 }),
    startDate: day,
    days: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
  })
  .map(({ days, ...h }) => ({ ...h, endDate: days === null ? null : addDays(h.startDate, days) }));
const household = fc.record({
  id: fc.constant('H1'),
  countyCode: fc.constantFrom(...COUNTIES),
  township: fc.constantFrom(null, '', '胜芳镇', '胜芳镇 ', '信安镇'),
  village: fc.constant(null),
  category: fc.constant('stable'),
  members: fc.constant(3),
  mainIndustry: fc.constantFrom(...INDUSTRY_CODES),
});
const period = fc.constantFrom('2024', '2025-Q2', '2025-Q4', '2026-03', '2026');

function periodOf(text: string): Period {
  const p = parsePeriod(text);
  if (!p) throw new Error(`bad period ${text}`);
  return p;
}

function addDays(start: string, days: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('hazard scope: task page and facts agree', () => {
  it('lists exactly the hazards the facts let touch the household', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hazard, { minLength: 1, maxLength: 8 }), household, period, async (generated, hh: HouseholdFact, text) => {
        const hazards: Array<HazardRecord & { eventId: string }> = generated.map((h, i) => ({ ...h, eventId: `E${i}` }));
        await t.db.deleteFrom('hazards').execute();
        await t.db
          .insertInto('hazards')
          .values(
            hazards.map((h) => ({
              event_id: h.eventId,
              type: h.type,
              county_code: h.countyCode,
              township: h.township ?? null,
              industries: [...(h.industries ?? [])],
              severity: h.severity,
              start_date: h.startDate,
              end_date: h.endDate ?? null,
            })),
          )
          .execute();
        const listed = await listHouseholdHazards(t.db, hh, 1_000);

        // Listed ⇔ touches the household in the year the hazard started (so: in some period).
        const touching = hazards.filter((h) => hazardTouches(h, hh, periodOf(h.startDate.slice(0, 4))));
        expect(listed.map((h) => h.eventId).sort()).toEqual(touching.map((h) => h.eventId).sort());

        // The facts' exposure for any period, from the page's list or from every hazard, is the same.
        const p = periodOf(text);
        const fromPage = listed.map((h) => ({ ...h, countyCode: hh.countyCode }));
        expect(exposureOf(fromPage, hh, p)).toEqual(exposureOf(hazards, hh, p));
      }),
      { numRuns: 60, seed: 20261130 },
    );
  });
});
