/**
 * Notifications at cycle completion: time and memory of the completion hook (`onCycleCompleted`,
 * in the transaction that completes the cycle), of rendering the digests (`renderPendingDigests`,
 * the notifier's first step after commit) and of the drain (writing `.eml` files to a scratch
 * directory), for a synthetic cycle of N alerts in the ten Langfang counties (about 2 alerts per
 * household, one task per household, no silences).
 *
 * Each size gets a fresh scratch database `iw_bench_notify`, dropped at the end. Peak RSS is
 * measured per phase: the process's high-water mark is reset (`/proc/self/clear_refs`) after a
 * full GC before each phase, so each figure is that phase's own peak.
 *
 *   npm run bench -- notify                      # 100 000 and 340 000 alerts
 *   NOTIFY_ALERTS=20000 npm run bench -- notify
 *   NOTIFY_KEEP_DB=1 …                         # keep the last size's database (to EXPLAIN queries)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type KyselyPlugin, sql } from 'kysely';
import { createDb, withDatabase } from '../src/db/database.js';
import { dropDatabase, migrateToLatest } from '../src/db/migrate.js';
import { LANGFANG_COUNTIES } from '../src/domain/catalog.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = 'iw_bench_notify';
const url = withDatabase(server, database);
const sizes = (process.env.NOTIFY_ALERTS ?? '100000,340000').split(',').map(Number);
const outDir = mkdtempSync(join(tmpdir(), 'iw-bench-notify-'));
const rulesDir = join(root, 'rules');
const publicUrl = 'https://iw.example.cn';

const { configureLogger } = await import('../src/logger.js');
configureLogger({ level: 'warn' });
const { createNotifyHooks } = await import('../src/notify/hooks.js');
const { onCycleCompleted } = createNotifyHooks({ rulesDir, publicUrl });
const { renderPendingDigests } = await import('../src/notify/digest.service.js');
const { currentRouting } = await import('../src/notify/routing.loader.js');
const { drainOutbox } = await import('../src/notify/notifier.service.js');
const { createMailTransport } = await import('../src/notify/mail.transport.js');

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function status(field: 'VmHWM' | 'VmRSS'): number {
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
  return kb * 1024;
}

/** Runs one phase: GC, reset the RSS high-water mark, time it; returns ms, RSS before, peak RSS. */
async function phase<T>(fn: () => Promise<T>): Promise<{ ms: number; rssBefore: number; peak: number; value: T }> {
  gc();
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the peak is then the process's peak so far
  }
  const rssBefore = status('VmRSS');
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, rssBefore, peak: status('VmHWM'), value };
}

/** Counts the statements a Kysely instance (or transaction) executes. */
function counter(): KyselyPlugin & { n: number } {
  const plugin = {
    n: 0,
    transformQuery: (args: Parameters<KyselyPlugin['transformQuery']>[0]) => args.node,
    transformResult: async (args: Parameters<KyselyPlugin['transformResult']>[0]) => {
      plugin.n++;
      return args.result;
    },
  };
  return plugin;
}

async function seed(db: ReturnType<typeof createDb>, alerts: number): Promise<number> {
  const rules = readdirSync(join(root, 'rules'))
    .filter((f) => f.endsWith('.json') && f !== 'parameters.json' && f !== 'routing.json')
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(root, 'rules', f), 'utf8')) as { id: string; severity: string; cause: string }] as const);
  await db
    .insertInto('rule_sets')
    .values({ version: 'benchnotify', files: JSON.stringify(Object.fromEntries(rules)) })
    .execute();
  for (const c of LANGFANG_COUNTIES) {
    await db
      .insertInto('counties')
      .values({ county_code: c.code, name: c.name, emails: [`c${c.code}@example.cn`], escalation_emails: ['city@example.cn'] })
      .execute();
  }
  const cycle = await db
    .insertInto('cycles')
    .values({
      period: '2026-Q3',
      rule_set_version: 'benchnotify',
      trigger: 'bench',
      status: 'running',
      started_by: null,
      error: null,
      started_at: new Date(),
      finished_at: null,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const cycleId = Number(cycle.id);
  // Household i has 1 + i % 3 alerts (2 on average): rules (i + j) % 9.
  const households = Math.ceil(alerts / 2);
  const codes = LANGFANG_COUNTIES.map((c) => c.code);
  const industries = ['grain_oil', 'vegetables', 'fruit', 'hogs', 'dairy', 'layers', 'beef_cattle', 'sheep'];
  await sql`
    insert into households (household_id, county_code, township, village, category, members, main_industry, head_name, id_number, phone)
    select 'B' || lpad(i::text, 8, '0'), (${codes}::text[])[1 + i % 10], '镇' || (i % 17), '村' || (i % 211), 'poverty_alleviated', 3,
           (${industries}::text[])[1 + i % 8], '张三', '131022199001011234', '13800000000'
    from generate_series(1, ${households}) i`.execute(db);
  const ruleRows = rules.map(([, r], k) => sql`(${k}::int, ${r.id}::text, ${r.severity}::text, ${r.cause}::text)`);
  await sql`
    with r(k, id, severity, cause) as (values ${sql.join(ruleRows)})
    insert into alerts (household_id, county_code, rule_id, period, severity, cause, rule_set_version, cycle_id, facts)
    select 'B' || lpad(i::text, 8, '0'), (${codes}::text[])[1 + i % 10], r.id, '2026-Q3', r.severity, r.cause, 'benchnotify', ${cycleId},
           jsonb_build_object('industryIncomeChangePct', -20 - i % 50, 'perCapitaNetIncome', 6000 + i % 3000, 'period', '2026-Q3')
    from generate_series(1, ${households}) i
    cross join generate_series(0, 2) j
    join r on r.k = (i + j) % ${rules.length}
    where j <= i % 3
    order by i, j
    limit ${alerts}`.execute(db);
  await sql`
    insert into tasks (household_id, county_code, period, due_date, cycle_id)
    select household_id, min(county_code), '2026-Q3', date '2026-10-01' + (hashtext(household_id) & 15), ${cycleId}
    from alerts where cycle_id = ${cycleId} group by household_id`.execute(db);
  await sql`
    insert into task_alerts (task_id, alert_id)
    select t.id, a.id from alerts a join tasks t on t.household_id = a.household_id and t.period = a.period where a.cycle_id = ${cycleId}`.execute(
    db,
  );
  await sql`vacuum analyze`.execute(db);
  return cycleId;
}

async function runSize(alerts: number): Promise<void> {
  await dropDatabase(url);
  await migrateToLatest(url);
  const db = createDb(url, { max: 4, applicationName: 'income-watch bench notify' });
  const dir = join(outDir, String(alerts));
  try {
    const seeded = performance.now();
    const cycleId = await seed(db, alerts);
    const counts = await sql<{ alerts: number; households: number }>`
      select count(*)::int as alerts, count(distinct household_id)::int as households from alerts where cycle_id = ${cycleId}`.execute(db);
    console.log(
      `\n-- ${counts.rows[0]!.alerts.toLocaleString('en')} alerts, ${counts.rows[0]!.households.toLocaleString('en')} households, 10 counties (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s) --`,
    );

    const queries = counter();
    const hook = await phase(() =>
      db.transaction().execute(async (trx) => {
        await trx.updateTable('cycles').set({ status: 'completed', finished_at: new Date() }).where('id', '=', cycleId).execute();
        await onCycleCompleted(trx.withPlugin(queries), { cycleId });
      }),
    );
    const rows = async () => {
      const n = await sql<{ outbox: number; pending: number }>`
        select (select count(*)::int from notifications where cycle_id = ${cycleId}) as outbox,
               (select count(*)::int from pending_digests where cycle_id = ${cycleId}) as pending`.execute(db);
      return n.rows[0]!;
    };
    const afterHook = await rows();
    console.log(
      `  completion hook (in the completing transaction): ${hook.ms.toFixed(0)} ms, ${queries.n} statement(s), peak RSS ${mib(hook.peak)} (from ${mib(hook.rssBefore)}: +${mib(hook.peak - hook.rssBefore)}); rows written: ${afterHook.pending} pending digests, ${afterHook.outbox} outbox rows`,
    );

    const renderQueries = counter();
    const render = await phase(() =>
      renderPendingDigests(db.withPlugin(renderQueries), {
        routing: currentRouting(rulesDir),
        publicUrl,
        now: new Date(Date.now() + 60_000),
      }),
    );
    console.log(
      `  render (notifier, after commit, one transaction per county): ${render.ms.toFixed(0)} ms, ${renderQueries.n} statements, peak RSS ${mib(render.peak)} (from ${mib(render.rssBefore)}: +${mib(render.peak - render.rssBefore)}); ${render.value.rendered} digests rendered, ${(await rows()).outbox} outbox rows`,
    );

    const transport = createMailTransport({ outboxDir: dir });
    const drain = await phase(() =>
      drainOutbox({
        db,
        transport,
        from: 'bench@example.cn',
        publicUrl,
        routing: currentRouting(rulesDir),
        now: () => new Date(Date.now() + 60_000),
      }),
    );
    const files = readdirSync(dir);
    const bytes = files.reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
    console.log(
      `  drain (write .eml): ${drain.ms.toFixed(0)} ms, peak RSS ${mib(drain.peak)} (from ${mib(drain.rssBefore)}: +${mib(drain.peak - drain.rssBefore)}); ${drain.value.sent} mails, ${(bytes / 1024).toFixed(0)} KiB`,
    );
  } finally {
    await db.destroy();
    if (!process.env.NOTIFY_KEEP_DB) await dropDatabase(url);
  }
}

console.log(
  `notify benchmark: ${cpus().length} cores, ${mib(totalmem())}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
try {
  for (const size of sizes) await runSize(size);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
