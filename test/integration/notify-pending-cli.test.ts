/**
 * `income-watch notifications list --pending` as an operator runs it (a child process on a real
 * database): the digests completed cycles recorded and the notifier has not rendered yet, with
 * attempts, next attempt and last error, so a digest that keeps failing to render is seen.
 */
import { sql } from 'kysely';
import { beijingDateTime } from '../../src/domain/beijing-time.js';
import { type CliResult, runCli } from '../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { insertCounty, insertHousehold, insertIncomes } from '../support/fixtures.js';
import { testQueue } from '../support/queue.js';

let t: TestDatabase;
const q = testQueue();

beforeAll(async () => {
  t = await createTestDatabase('notifypending');
  await insertCounty(t.db, { countyCode: '131022', emails: ['ga@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertCounty(t.db, { countyCode: '131023', emails: ['yq@example.cn'], escalationEmails: ['city@example.cn'] });
  await insertHousehold(t.db, { householdId: 'HP-1', countyCode: '131022' });
  await insertHousehold(t.db, { householdId: 'HP-2', countyCode: '131023' });
  await insertIncomes(t.db, 'HP-1', { '2025-Q3': 10_000, '2026-Q3': 7_000 }); // −30 %
  await insertIncomes(t.db, 'HP-2', { '2025-Q3': 10_000, '2026-Q3': 4_000 }); // −60 %
});

afterAll(async () => {
  await sql`drop trigger if exists refuse_131023 on notifications`.execute(t.db);
  await q.cleanup();
  await t?.drop();
});

/** The CLI in a scratch directory (mails become `.eml` files there: SMTP_URL unset). */
function cli(...args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: q.workDir, env: q.env(t.url, { LOG_LEVEL: 'silent', SMTP_URL: '' }) });
}

async function pendingJson(...args: string[]) {
  const r = await cli('notifications', 'list', '--pending', '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

describe('notifications list --pending', { timeout: 240_000 }, () => {
  it('shows the digests a cycle owes until they are rendered, and one that fails to render with its error', async () => {
    const summary = await q.runCycle(q.open(t.url), { period: '2026-Q3' }); // no notify worker: nothing rendered yet
    const c = summary.cycleId;
    const owed = await pendingJson();
    expect(owed.map((r) => [r.key, r.kind, r.cycleId, r.countyCode, r.attempts, r.lastError])).toEqual([
      [`city-summary:${c}`, 'city-summary', c, null, 0, null],
      [`digest:${c}:131022`, 'digest', c, '131022', 0, null],
      [`digest:${c}:131023`, 'digest', c, '131023', 0, null],
    ]);
    expect(Object.keys(owed[0]!)).toEqual(['key', 'kind', 'cycleId', 'countyCode', 'attempts', 'nextAttemptAt', 'lastError', 'createdAt']);
    expect(Date.parse(owed[0]!.nextAttemptAt as string)).toBeLessThanOrEqual(Date.now());
    expect((await pendingJson('--kind', 'city-summary')).map((r) => r.key)).toEqual([`city-summary:${c}`]);
    expect(await pendingJson('--cycle', String(c + 1))).toEqual([]);

    // The database refuses the outbox rows of one county: its digest cannot be rendered.
    await sql`create or replace function refuse_131023() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(
      t.db,
    );
    await sql`create trigger refuse_131023 before insert on notifications for each row when (new.county_code = '131023') execute function refuse_131023()`.execute(
      t.db,
    );
    const drained = await cli('notifications', 'drain', '--json');
    expect(drained.code).toBe(0);
    expect(JSON.parse(drained.stdout)).toMatchObject({ sent: 2 });

    const failing = await pendingJson();
    expect(failing).toMatchObject([
      { key: `digest:${c}:131023`, countyCode: '131023', attempts: 1, lastError: expect.stringContaining('disk full') },
    ]);
    expect(Date.parse(failing[0]!.nextAttemptAt as string)).toBeGreaterThan(Date.now() + 30_000); // backoff: a minute
    const text = await cli('notifications', 'list', '--pending');
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    // Chinese headings and kinds, the next attempt in Beijing time (--json keeps the ISO instant).
    expect(lines[0]!.split(/\s+/)).toEqual(['键', '类型', '监测', '区县', '尝试次数', '下次尝试', '最近错误']);
    expect(lines).toHaveLength(3);
    const next = beijingDateTime(new Date(failing[0]!.nextAttemptAt as string));
    expect(lines[2]).toMatch(new RegExp(`^digest:${c}:131023\\s+县级摘要\\s+${c}\\s+131023\\s+1\\s+${next}\\s+.*disk full`));
    const english = (await cli('notifications', 'list', '--pending', '--lang', 'en')).stdout.split('\n');
    expect(english[0]!.split(/\s+/)).toEqual(['key', 'kind', 'cycleId', 'countyCode', 'attempts', 'nextAttemptAt', 'lastError']);
    expect(english[2]).toMatch(new RegExp(`^digest:${c}:131023\\s+digest\\s+${c}\\s+`));
    // The plain list shows the outbox only.
    const outbox = JSON.parse((await cli('notifications', 'list', '--json')).stdout) as Array<{ key: string }>;
    expect(outbox.map((r) => r.key).sort()).toEqual([`city-summary:${c}`, `digest:${c}:131022`]);

    // Fixed, and due: the next drain renders it and it leaves the list.
    await sql`drop trigger refuse_131023 on notifications`.execute(t.db);
    await sql`update pending_digests set next_attempt_at = now() where status = 'pending'`.execute(t.db);
    expect((await cli('notifications', 'drain')).code).toBe(0);
    expect(await pendingJson()).toEqual([]);
    expect((await cli('notifications', 'list', '--pending')).stdout).toBe('（无）\n');
    expect((await cli('notifications', 'list', '--pending', '--lang', 'en')).stdout).toBe('(none)\n');
  });

  it('refuses options that do not apply to digests not yet rendered (exit 2)', async () => {
    const status = await cli('notifications', 'list', '--pending', '--status', 'sent');
    expect(status.code).toBe(2);
    expect(status.stderr).toBe('income-watch: --pending 列出尚未生成的摘要邮件，不能与 --status 同用\n');
    const kind = await cli('notifications', 'list', '--pending', '--kind', 'reminder');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toBe('income-watch: --pending 只列出摘要邮件：--kind 只能是 digest 或 city-summary，而不是 "reminder"\n');
    const english = await cli('notifications', 'list', '--pending', '--kind', 'reminder', '--lang', 'en');
    expect(english.stderr).toBe('income-watch: --pending lists digests only: --kind digest or city-summary, not "reminder"\n');
  });
});
