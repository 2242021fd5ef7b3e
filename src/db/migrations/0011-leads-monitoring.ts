/**
 * From warning to risk eliminated (issue 12): leads from every channel, monitoring objects with
 * their status history, assistance measures, and review tasks that propose risk elimination.
 *
 * - `leads`: one row per lead, natural key `lead_id` (the file's 线索编号, or generated for leads
 *   entered on the web or the command line). `task_id` is the task the lead opened or joined.
 * - `tasks` gain `kind` (`check` 核实任务, `review` 风险消除审核) and `origin` (`cycle`, `lead`,
 *   `review`). A cycle's task keeps its natural key (household, period); a lead's task is keyed
 *   by the lead that opened it (`opened_by_lead`); a review task by (household, period) among
 *   review tasks. `cycle_id` is null for tasks a lead opened. The outcome `identified` (纳入监测对象)
 *   joins the others, with the identified category and risk causes on the task.
 * - `households` carry their current monitoring status; `monitoring_status_history` keeps every
 *   change (append-only), each with the task that decided it.
 * - `assistance_measures`: the ledger of help given to a monitoring object, amounts in integer fen;
 *   natural key (household, type, date, amount, provider) so that the same entry sent twice is one.
 */
import { type Kysely, sql } from 'kysely';

const OUTCOMES = `'identified','assisted','risk_eliminated','not_at_risk'`;
const CAUSES = `'illness','disability','education','disaster','accident','industry_failure','unstable_employment','labour_shortage','housing','drinking_water','other'`;
const CATEGORIES = `'unstable','marginal','sudden_hardship'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tasks
    add column kind text not null default 'check' check (kind in ('check','review')),
    add column origin text not null default 'cycle' check (origin in ('cycle','lead','review')),
    add column opened_by_lead text unique,
    add column identified_category text check (identified_category is null or identified_category in (${sql.raw(CATEGORIES)})),
    add column identified_causes text[],
    alter column cycle_id drop not null,
    drop constraint if exists tasks_outcome_check,
    add constraint tasks_outcome_check check (outcome is null or outcome in (${sql.raw(OUTCOMES)})),
    add constraint tasks_identified_has_category check ((outcome = 'identified') = (identified_category is not null) or outcome is null),
    add constraint tasks_cycle_origin_has_cycle check (origin <> 'cycle' or cycle_id is not null),
    add constraint tasks_lead_origin_has_lead check ((origin = 'lead') = (opened_by_lead is not null))`.execute(db);
  await sql`alter table tasks drop constraint tasks_natural_key`.execute(db);
  await sql`create unique index tasks_natural_key on tasks (household_id, period) where origin = 'cycle'`.execute(db);
  await sql`create unique index tasks_review_key on tasks (household_id, period) where origin = 'review'`.execute(db);
  await sql`alter table alerts
    drop constraint if exists alerts_outcome_check,
    add constraint alerts_outcome_check check (outcome is null or outcome in (${sql.raw(OUTCOMES)}))`.execute(db);

  await sql`create table leads (
    lead_id text primary key,
    household_id text not null references households(household_id),
    county_code char(6) not null,
    channel text not null check (channel in ('self_report','cadre_visit','department','rule')),
    reported_on date not null,
    causes text[] not null check (cardinality(causes) > 0 and causes <@ array[${sql.raw(CAUSES)}]::text[]),
    reporter text,
    note text,
    task_id bigint references tasks(id),
    entered_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index leads_county_idx on leads (county_code, reported_on desc)`.execute(db);
  await sql`create index leads_household_idx on leads (household_id, reported_on)`.execute(db);
  await sql`create index leads_task_idx on leads (task_id) where task_id is not null`.execute(db);

  await sql`alter table households
    add column monitoring_status text not null default 'none' check (monitoring_status in ('none','monitored','risk_eliminated')),
    add column monitoring_category text check (monitoring_category is null or monitoring_category in (${sql.raw(CATEGORIES)})),
    add column monitoring_causes text[],
    add column monitoring_since date`.execute(db);
  await sql`create index households_monitoring_idx on households (monitoring_status, county_code) where monitoring_status <> 'none'`.execute(
    db,
  );

  await sql`create table monitoring_status_history (
    id bigserial primary key,
    household_id text not null references households(household_id),
    status text not null check (status in ('none','monitored','risk_eliminated')),
    category text check (category is null or category in (${sql.raw(CATEGORIES)})),
    causes text[],
    since date not null,
    task_id bigint references tasks(id),
    actor text not null,
    note text,
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create index monitoring_status_history_household_idx on monitoring_status_history (household_id, id)`.execute(db);
  // A task decides a household's status at most once (a redelivered close writes no second row).
  await sql`create unique index monitoring_status_history_task_key on monitoring_status_history (task_id) where task_id is not null`.execute(
    db,
  );

  await sql`create table assistance_measures (
    id bigserial primary key,
    household_id text not null references households(household_id),
    county_code char(6) not null,
    type text not null check (type in ('industry','employment','technical','microcredit','consumption','insurance_claim','public_welfare_job','social_security','other')),
    measure_date date not null,
    amount_cents bigint check (amount_cents is null or amount_cents >= 0),
    provider text,
    note text,
    entered_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index assistance_measures_natural_key on assistance_measures
    (household_id, type, measure_date, coalesce(amount_cents, -1), coalesce(provider, ''))`.execute(db);
  await sql`create index assistance_measures_county_idx on assistance_measures (county_code, measure_date desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table assistance_measures`.execute(db);
  await sql`drop table monitoring_status_history`.execute(db);
  await sql`alter table households drop column monitoring_status, drop column monitoring_category,
    drop column monitoring_causes, drop column monitoring_since`.execute(db);
  await sql`drop table leads`.execute(db);
  await sql`drop index tasks_review_key`.execute(db);
  await sql`drop index tasks_natural_key`.execute(db);
  await sql`alter table tasks add constraint tasks_natural_key unique (household_id, period)`.execute(db);
  await sql`alter table tasks drop constraint tasks_identified_has_category, drop constraint tasks_cycle_origin_has_cycle,
    drop constraint tasks_lead_origin_has_lead, drop column kind, drop column origin, drop column opened_by_lead,
    drop column identified_category, drop column identified_causes`.execute(db);
}
