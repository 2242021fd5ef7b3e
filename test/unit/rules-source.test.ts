import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleSetSource } from '../../src/rules/rule-set.source.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'iw-rules-'));
  for (const f of ['industry-income-drop.json', 'price-shock.json', 'parameters.json']) cpSync(join('rules', f), join(dir, f));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file and moves its mtime forward, so the change is seen even within one clock tick. */
function write(file: string, text: string): void {
  writeFileSync(join(dir, file), text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(dir, file), later, later);
}

describe('RuleSetSource', () => {
  it('returns the same set while nothing changes, and a new version after an edit', async () => {
    const source = new RuleSetSource(dir);
    const first = await source.current();
    expect(first.rules.map((r) => r.id)).toEqual(['industry-income-drop', 'price-shock']);
    expect(await source.current()).toBe(first);

    const rule = JSON.parse(readFileSync(join(dir, 'price-shock.json'), 'utf8'));
    write('price-shock.json', JSON.stringify({ ...rule, slaDays: 10 }));
    const second = await source.current();
    expect(second.version).not.toBe(first.version);
    expect(second.rules.find((r) => r.id === 'price-shock')!.slaDays).toBe(10);
    expect(source.lastError).toBeUndefined();
  });

  it('refuses a broken edit: keeps the last good set and exposes the error, until the file is fixed', async () => {
    const source = new RuleSetSource(dir);
    const good = await source.current();
    const original = readFileSync(join(dir, 'price-shock.json'), 'utf8');
    write('price-shock.json', original.replace('"lessThanInclusive"', '"lessThanOrEqual"'));
    expect(await source.current()).toBe(good);
    expect(source.lastError?.code).toBe('IW_RULES');
    expect(source.lastError?.message).toMatch(/price-shock.json \/conditions\/any\/0\/operator/);
    // Still refused on the next call (no re-read needed, same error kept).
    expect(await source.current()).toBe(good);

    write('price-shock.json', original.replace('-15', '-16'));
    const fixed = await source.current();
    expect(fixed.version).not.toBe(good.version);
    expect(source.lastError).toBeUndefined();
  });

  it('notices added and removed files', async () => {
    const source = new RuleSetSource(dir);
    await source.current();
    cpSync(join('rules', 'pest-exposure.json'), join(dir, 'pest-exposure.json'));
    expect((await source.current()).rules).toHaveLength(3);
    unlinkSync(join(dir, 'industry-income-drop.json'));
    expect((await source.current()).rules.map((r) => r.id)).toEqual(['pest-exposure', 'price-shock']);
  });

  it('throws when there never was a good set', async () => {
    write('price-shock.json', '{ broken');
    const source = new RuleSetSource(dir);
    await expect(source.current()).rejects.toMatchObject({
      code: 'IW_RULES',
      message: expect.stringMatching(/price-shock.json: invalid JSON at line 1, column 3/),
    });
    await expect(new RuleSetSource(join(dir, 'missing')).current()).rejects.toMatchObject({ code: 'IW_RULES' });
  });
});
