/**
 * The building blocks of the generator: the CSV fast path equals csv-stringify byte for byte,
 * numbers format like String(), the PRNG is deterministic, ID check digits follow GB 11643, and
 * the CLI validates its options with exit status 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentityGenerator, idCheckDigit, isValidIdNumber } from '../../src/generate/identity.generator.js';
import { SeededRandom, WeightedTable } from '../../src/generate/seeded-random.js';
import { formatNumber, toCsv, toCsvReference, type Cell } from '../../src/generate/table.writer.js';
import { cliEntry } from '../support/cli.js';

describe('toCsv', () => {
  it('gives exactly what csv-stringify gives, for plain rows and rows that need quoting', () => {
    const rows: Cell[][] = [
      ['131022-000001', '2026-Q3', 1234.5, 0, 12.05, 99999999.99, null],
      ['户编码', '统计期', '产业收入'],
      ['a,b', 'say "hi"', 'two\nlines', 'cr\r', '', null, -3.1],
      ['nyj-131025@langfang.example;fupin-131025@langfang.example', 'II级', '=1+2', ' spaced '],
      [],
    ];
    expect(toCsv(rows)).toBe(toCsvReference(rows));
    expect(toCsv([['a,b', 1]])).toBe('"a,b",1\n');
  });

  it('formats amounts like String() does', () => {
    const rng = new SeededRandom('numbers');
    for (let i = 0; i < 20_000; i++) {
      const value = Math.round(rng.between(-1000, 1e7) * 100) / 100;
      expect(formatNumber(value)).toBe(String(value));
    }
    for (const value of [0, -0.5, 0.05, 1e21, 1 / 3, 12.5, -12.01]) expect(formatNumber(value)).toBe(String(value));
  });
});

describe('SeededRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const draw = (seed: string) => {
      const rng = new SeededRandom(seed);
      return Array.from({ length: 5 }, () => rng.nextUint32());
    };
    expect(draw('langfang')).toEqual(draw('langfang'));
    expect(draw('langfang')).not.toEqual(draw('langfang2'));
  });

  it('draws uniform floats in [0, 1) and weighted values in proportion', () => {
    const rng = new SeededRandom('stats');
    const table = new WeightedTable([
      ['a', 1],
      ['b', 3],
    ] as const);
    let sum = 0;
    let b = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      if (table.draw(rng) === 'b') b++;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
    expect(b / 20_000).toBeCloseTo(0.75, 1);
  });
});

describe('ID numbers', () => {
  it('computes GB 11643 check characters', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X'); // the standard's example
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('makes unique, valid numbers starting with the county code, and phones starting with 1', () => {
    const identities = new IdentityGenerator(new SeededRandom('ids'));
    const seen = new Set<string>();
    for (let serial = 1; serial <= 5000; serial++) {
      const id = identities.idNumber('131025', serial);
      expect(id.startsWith('131025')).toBe(true);
      expect(isValidIdNumber(id)).toBe(true);
      const year = Number(id.slice(6, 10));
      expect(year >= 1945 && year <= 2004).toBe(true);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
    expect(identities.phone(42)).toMatch(/^100\d{8}$/);
  });
});

describe('income-watch generate (CLI)', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [cliEntry(), 'generate', ...args], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });

  it('exits 2 with a clear message on bad options', () => {
    const bad = cli('--households', '0', '--out', join(tmpdir(), 'iw-never'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--households 必须是 ≥ 1 的整数');
    const quarter = cli('--households', '10', '--out', join(tmpdir(), 'iw-never'), '--until', '2026-Q5');
    expect(quarter.status).toBe(2);
    expect(quarter.stderr).toContain('--until 必须是季度，例如 2026-Q3');
    const english = cli('--households', '0', '--out', join(tmpdir(), 'iw-never'), '--lang', 'en');
    expect([english.status, english.stderr]).toEqual([2, 'income-watch: --households must be an integer ≥ 1 (got 0)\n']);
  });

  it('prints the GeneratedDataset with --json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iw-generate-cli-'));
    try {
      const run = cli('--households', '25', '--out', dir, '--until', '2026-Q2', '--quarters', '4', '--seed', 'cli', '--json');
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result).toMatchObject({ households: 25, incomeRows: 100, periods: ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'], seed: 'cli' });
      expect(result.files.incomes).toBe(join(dir, 'incomes.csv'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
