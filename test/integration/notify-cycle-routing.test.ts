/**
 * A cycle's notification hooks route by the cycle context's own rules directory (given to
 * openMonitoring), not by the process's RULES_DIR: a context opened on a directory whose
 * routing.json has an immediate route writes the immediate mails of that route while the cycle
 * runs; a context on the repository's rules (no immediate route enabled) writes none.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNotifications } from '../../src/notify/outbox.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { RULES_DIR, testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();
const cycleRulesDir = mkdtempSync(join(tmpdir(), 'iw-cycle-routing-'));

beforeAll(async () => {
  cpSync(RULES_DIR, cycleRulesDir, { recursive: true });
  writeFileSync(
    join(cycleRulesDir, 'routing.json'),
    JSON.stringify({ routes: [{ name: 'gu-an-now', match: { county: ['131022'] }, mode: 'immediate', to: ['duty@example.cn'] }] }),
  );
  t = await createTestDatabase('cyclerouting');
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertHousehold(t.db, { householdId: 'HR-1', countyCode: '131022' });
  await insertIncomes(t.db, 'HR-1', { '2025-Q3': 10_000, '2026-Q3': 4_000 }); // −60 %
  await insertIncomes(t.db, 'HR-1', { '2025-Q4': 10_000, '2026-Q4': 4_000 });
});

afterAll(async () => {
  await q.cleanup();
  await t?.drop();
  rmSync(cycleRulesDir, { recursive: true, force: true });
});

describe('notification routing of a cycle', () => {
  it("follows the rules directory of the cycle's context", async () => {
    const own = await q.runCycle(q.open(t.url, { rulesDir: cycleRulesDir }), { period: '2026-Q3' });
    expect(own.alertsNew).toBeGreaterThan(0);
    const immediate = await listNotifications(t.db, { cycleId: own.cycleId, kind: 'immediate' });
    expect(immediate.length).toBe(own.alertsNew);
    expect(new Set(immediate.map((r) => r.recipient))).toEqual(new Set(['duty@example.cn']));
    expect(immediate[0]!.textBody).toContain('http://127.0.0.1:3000/tasks/');

    // The repository's rules (the process default) route nothing at once.
    const repo = await q.runCycle(q.open(t.url), { period: '2026-Q4' });
    expect(repo.alertsNew).toBeGreaterThan(0);
    expect(await listNotifications(t.db, { cycleId: repo.cycleId, kind: 'immediate' })).toEqual([]);
  });
});
