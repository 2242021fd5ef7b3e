/**
 * Files from the synthetic data generator import cleanly in order; the same files with
 * injected bad rows import their good rows and report each bad one precisely; a second
 * import reports everything unchanged.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/generate/generate.js';
import { columnFor } from '../../src/ingest/header-aliases.js';
import { IMPORT_KINDS, importFile } from '../../src/ingest/import.js';
import type { DataKind } from '../../src/ingest/import.types.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { scratch } from '../fixtures/import/fixtures.js';

let t: TestDatabase;
const files = scratch();
let paths: Record<DataKind, string>;

beforeAll(async () => {
  t = await createTestDatabase('import-generated');
  paths = (await generateDataset({ households: 300, outDir: files.dir, seed: 'import-test', until: '2026-Q3' })).files;
});
afterAll(async () => {
  await t.drop();
  files.remove();
});

/** Appends rows given by English column name, in the generated file's own column order; returns their line numbers. */
function inject(kind: DataKind, rows: Array<Record<string, string>>): number[] {
  const text = readFileSync(paths[kind], 'utf8');
  const header = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!
    .split(',');
  const names = header.map((h) => columnFor(kind, h));
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/).length;
  const csv = rows.map((r) => names.map((n) => (n ? (r[n] ?? '') : '')).join(',')).join('\n');
  appendFileSync(paths[kind], `${text.endsWith('\n') ? '' : '\n'}${csv}\n`);
  return rows.map((_, i) => lines + 1 + i);
}

describe('generated data', () => {
  it('imports cleanly, then reports all unchanged on a second import', async () => {
    const first: Record<string, number> = {};
    for (const kind of IMPORT_KINDS) {
      const r = await importFile(t.db, kind, paths[kind]);
      expect(r.rejected, `${kind}: ${JSON.stringify(r.rejected.slice(0, 3))}`).toEqual([]);
      expect(r.inserted, kind).toBeGreaterThan(0);
      first[kind] = r.inserted;
    }
    for (const kind of IMPORT_KINDS) {
      const r = await importFile(t.db, kind, paths[kind]);
      expect(r, kind).toMatchObject({ inserted: 0, updated: 0, unchanged: first[kind], rejected: [] });
    }
  });

  it('imports the good rows of files with injected bad rows and reports each bad one', async () => {
    const [existing] = await t.db.selectFrom('households').select(['household_id', 'county_code']).limit(1).execute();
    const good = { county_code: existing!.county_code, category: 'marginal', members: '2', main_industry: 'fruit' };
    const h = inject('households', [
      { ...good, household_id: 'BAD-1', county_code: '139999' },
      { ...good, household_id: 'BAD-2', members: '0' },
      { ...good, household_id: 'BAD-3', category: 'farmer' },
      { ...good, household_id: '' },
      { ...good, household_id: 'NEW-1' },
    ]);
    const households = await importFile(t.db, 'households', paths.households);
    expect(households.rejected.map((p) => [p.row, p.column])).toEqual([
      [h[0], 'county_code'],
      [h[1], 'members'],
      [h[2], 'category'],
      [h[3], 'household_id'],
    ]);
    expect(households).toMatchObject({ inserted: 1, updated: 0 });

    const i = inject('incomes', [
      { household_id: existing!.household_id, period: '2020-Q1', industry_income: '-5' },
      { household_id: existing!.household_id, period: '2025-Q5', industry_income: '5' },
      { household_id: 'NOBODY', period: '2020-Q1', industry_income: '5' },
      { household_id: '', period: '2020-Q1', industry_income: '5' },
      { household_id: 'NEW-1', period: '2020-Q1', industry_income: '5' },
    ]);
    const incomes = await importFile(t.db, 'incomes', paths.incomes);
    expect(incomes.rejected.map((p) => [p.row, p.column])).toEqual([
      [i[0], 'industry_income'],
      [i[1], 'period'],
      [i[2], 'household_id'],
      [i[3], 'household_id'],
    ]);
    expect(incomes).toMatchObject({ inserted: 1, updated: 0 });
    expect(incomes.rejected[1]!.message).toBe('"2025-Q5" is not a period (use 2026, 2026-Q3 or 2026-09)');
    expect(incomes.rejected[2]!.message).toBe('household "NOBODY" is not known (import households first)');
  });
});
