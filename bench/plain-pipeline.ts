/**
 * The plain pipeline of issue 14: the fastest honest plain code for three of the cycle's rules,
 * the yardstick the cycle benchmark prints beside the real cycle (same run, same database).
 *
 *   one streaming SQL read   a server-side cursor over the households, each with its income rows of
 *                            the window aggregated in SQL (current quarter's and the year-before
 *                            quarter's industry income, the trailing four quarters' net income),
 *                            fetched in chunks while the previous chunk is evaluated
 *   predicates in plain JS   integer cents: industry income drop > 20 % (industry-income-drop),
 *                            drop ≥ 50 % (industry-income-collapse), trailing-12-months net income
 *                            per member below the monitoring line (below-monitoring-line)
 *   one bulk write           every alert in one `INSERT … SELECT FROM unnest(…)` into a scratch
 *                            table (logged, like the cycle's alerts; dropped afterwards)
 *
 * Quarter periods only (what the generator writes); no tasks, outbox, audit, facts or crash safety —
 * this is what the machine can do for the core of the work, not a product.
 */
import pg from 'pg';
import { cpuMs } from './cpu.js';

export interface PlainPipelineResult {
  households: number;
  alerts: number;
  /** Alerts per rule id. */
  byRule: Record<string, number>;
  ms: number;
  /** CPU time of its PostgreSQL backend, from connecting to the commit (and the read of this figure), ms. */
  postgresCpuMs: number;
}

/** The quarter `years` years and `quarters` quarters before `period` (`2026-Q3`). */
function quarterBefore(period: string, back: number): string {
  const [y, q] = [Number(period.slice(0, 4)), Number(period.slice(6))];
  const n = y * 4 + (q - 1) - back;
  return `${Math.floor(n / 4)}-Q${(n % 4) + 1}`;
}

const FETCH = 20_000;

/**
 * Runs the plain pipeline for `period` (a quarter such as `2026-Q3`) on the database at `url`, with
 * `monitoringLine` yuan per person and year. Timed from connecting to the commit of the write.
 */
export async function runPlainPipeline(url: string, period: string, monitoringLine: number): Promise<PlainPipelineResult> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const baseline = quarterBefore(period, 4);
    const twelve = [0, 1, 2, 3].map((b) => quarterBefore(period, b));
    await client.query('begin');
    await client.query('drop table if exists bench_plain_alerts');
    await client.query('create table bench_plain_alerts (household_id text not null, county_code text not null, rule_id text not null)');
    // Cents as float8: integers below 2^53, exact; sums of four or five stay exact.
    await client.query(
      `declare plain cursor for
       select h.household_id, h.county_code, h.members, a.cur, a.base, a.net12, a.n12
       from households h
       join (
         select household_id,
           sum((industry_income * 100)::float8) filter (where period = $1) as cur,
           sum((industry_income * 100)::float8) filter (where period = $2) as base,
           sum(((industry_income + wage_income + property_income + transfer_income - production_cost) * 100)::float8)
             filter (where period = any($3::text[])) as net12,
           count(*) filter (where period = any($3::text[]))::int as n12
         from incomes where period = any($4::text[])
         group by household_id
       ) a using (household_id)`,
      [period, baseline, twelve, [...twelve, baseline]],
    );
    const ids: string[] = [];
    const counties: string[] = [];
    const rules: string[] = [];
    const byRule: Record<string, number> = { 'industry-income-drop': 0, 'industry-income-collapse': 0, 'below-monitoring-line': 0 };
    const lineCents = monitoringLine * 100;
    let households = 0;
    const fetch = () => client.query<unknown[]>({ text: `fetch ${FETCH} from plain`, rowMode: 'array' });
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      if (rows.length === 0) break;
      next = fetch(); // the database reads the next chunk while this one is evaluated
      households += rows.length;
      for (const row of rows) {
        const [id, county, members, cur, base, net12, n12] = row as [
          string,
          string,
          number,
          number | null,
          number | null,
          number | null,
          number,
        ];
        const add = (rule: string) => {
          ids.push(id);
          counties.push(county);
          rules.push(rule);
          byRule[rule]!++;
        };
        if (cur !== null && base !== null && base > 0) {
          // change % = (cur − base) / base × 100, exactly: < −20 and ≤ −50 in integers.
          if ((cur - base) * 5 < -base) add('industry-income-drop');
          if ((cur - base) * 2 <= -base) add('industry-income-collapse');
        }
        if (n12 === 4 && net12 !== null && net12 < lineCents * members) add('below-monitoring-line');
      }
      if (rows.length < FETCH) break;
    }
    await next;
    await client.query('close plain');
    await client.query(
      `insert into bench_plain_alerts (household_id, county_code, rule_id)
       select * from unnest($1::text[], $2::text[], $3::text[])`,
      [ids, counties, rules],
    );
    await client.query('commit');
    const ms = performance.now() - started;
    // The backend's CPU time, read while it is still alive (the caller cannot see it after `end`).
    const backend = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const postgresCpuMs = cpuMs(backend.rows[0]!.pid);
    await client.query('drop table bench_plain_alerts');
    return { households, alerts: ids.length, byRule, ms, postgresCpuMs };
  } finally {
    await client.end();
  }
}
