/**
 * SQL of assistance measures (帮扶措施): the ledger of help given to households, amounts in
 * integer fen, natural key (household, type, date, amount, provider) so that the same entry sent
 * twice is stored once.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { MeasureType } from '../domain/catalog.js';

/** A measure as stored (amount in fen). */
export interface MeasureRecord {
  id: number;
  householdId: string;
  countyCode: string;
  type: MeasureType;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Integer fen; null where the measure has no amount. */
  amountFen: number | null;
  provider: string | null;
  note: string | null;
  enteredBy: string;
  createdAt: Date;
}

export type NewMeasure = Omit<MeasureRecord, 'id' | 'createdAt'>;

export interface MeasureFilters {
  countyCode?: string;
  householdId?: string;
  type?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

function toMeasure(r: Record<string, any>): MeasureRecord {
  return {
    id: Number(r.id),
    householdId: r.household_id,
    countyCode: String(r.county_code).trim(),
    type: r.type,
    date: r.measure_date,
    amountFen: r.amount_cents === null ? null : Number(r.amount_cents),
    provider: r.provider,
    note: r.note,
    enteredBy: r.entered_by,
    createdAt: r.created_at,
  };
}

function filtered(db: Executor, f: Omit<MeasureFilters, 'limit' | 'offset'>) {
  let query = db.selectFrom('assistance_measures').selectAll();
  if (f.countyCode) query = query.where('county_code', '=', f.countyCode);
  if (f.householdId) query = query.where('household_id', '=', f.householdId);
  if (f.type) query = query.where('type', '=', f.type as MeasureType);
  if (f.from) query = query.where('measure_date', '>=', f.from);
  if (f.to) query = query.where('measure_date', '<=', f.to);
  return query;
}

/** Measures matching the filters, newest first (then by id). */
export async function listMeasures(db: Executor, filters: MeasureFilters = {}): Promise<MeasureRecord[]> {
  let query = filtered(db, filters).orderBy('measure_date', 'desc').orderBy('id', 'desc');
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  if (filters.offset) query = query.offset(filters.offset);
  return (await query.execute()).map(toMeasure);
}

/** How many measures match the filters. */
export async function countMeasures(db: Executor, filters: MeasureFilters = {}): Promise<number> {
  const r = await filtered(db, filters)
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/**
 * Inserts a measure unless the same one (household, type, date, amount, provider) is stored.
 * Returns the stored row and whether this call inserted it.
 */
export async function insertMeasure(trx: Executor, m: NewMeasure, at: Date): Promise<{ measure: MeasureRecord; created: boolean }> {
  const inserted = await sql<Record<string, any>>`
    insert into assistance_measures (household_id, county_code, type, measure_date, amount_cents, provider, note, entered_by, created_at)
    values (${m.householdId}, ${m.countyCode}, ${m.type}, ${m.date}, ${m.amountFen}, ${m.provider}, ${m.note}, ${m.enteredBy}, ${at})
    on conflict do nothing
    returning *`.execute(trx);
  if (inserted.rows[0]) return { measure: toMeasure(inserted.rows[0]), created: true };
  const stored = await trx
    .selectFrom('assistance_measures')
    .selectAll()
    .where('household_id', '=', m.householdId)
    .where('type', '=', m.type)
    .where('measure_date', '=', m.date)
    .where(sql<boolean>`coalesce(amount_cents, -1) = ${m.amountFen ?? -1}`)
    .where(sql<boolean>`coalesce(provider, '') = ${m.provider ?? ''}`)
    .executeTakeFirstOrThrow();
  return { measure: toMeasure(stored), created: false };
}
