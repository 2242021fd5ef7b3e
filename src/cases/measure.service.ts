/**
 * Assistance measures (帮扶措施): entered by county officers (web, `measures add`, the API) for
 * any household of their county — help often starts before a household is identified as a
 * monitoring object, and the dashboard counts the measures of monitoring objects apart. Each
 * new measure is audited (entity `measure`). Idempotent: the same measure entered twice is one.
 */
import type { Db } from '../db/database.js';
import { MEASURE_TYPES, type MeasureType } from '../domain/catalog.js';
import { insertAudit } from './audit.repository.js';
import { checkCode, checkDay, checkText, FieldInputError, householdNotFound } from './case-input.js';
import { insertMeasure, type MeasureRecord } from './measure.repository.js';
import { findHouseholdStatus } from './monitoring-status.repository.js';

export interface MeasureInput {
  householdId: string;
  /** A code of MEASURE_TYPES. */
  type: string;
  /** `YYYY-MM-DD`, not after today. */
  date: string;
  /** Integer fen ≥ 0, or null (a measure without an amount: a job, training). */
  amountFen?: number | null;
  provider?: string | null;
  note?: string | null;
}

/** The largest amount a measure may record: 100 million yuan, in fen. */
const MAX_FEN = 10_000_000_000;

/**
 * Records a measure. Throws NotFoundError for a household unknown or outside `countyCode`,
 * FieldInputError for a bad field. Returns the stored measure and whether it is new.
 */
export async function addMeasure(
  db: Db,
  input: MeasureInput & { actor: string; countyCode?: string; now?: Date },
): Promise<{ measure: MeasureRecord; created: boolean }> {
  const now = input.now ?? new Date();
  const type = checkCode('type', ['帮扶措施类型', 'measure type'], MEASURE_TYPES, input.type) as MeasureType;
  const date = checkDay('date', ['帮扶日期', 'date'], input.date, now);
  const amountFen = input.amountFen ?? null;
  if (amountFen !== null && (!Number.isSafeInteger(amountFen) || amountFen < 0 || amountFen > MAX_FEN)) {
    throw new FieldInputError(
      'amount',
      '金额须为 0 至 1 亿元之间、最多两位小数的数',
      'the amount must be 0 to 100,000,000 yuan with at most 2 decimals',
    );
  }
  const provider = checkText('provider', ['帮扶责任人/单位', 'provider'], input.provider, 100);
  const note = checkText('note', ['说明', 'note'], input.note, 2000);
  const household = await findHouseholdStatus(db, input.householdId.trim(), { countyCode: input.countyCode });
  if (!household) {
    throw householdNotFound(input.householdId);
  }
  return db.transaction().execute(async (trx) => {
    const result = await insertMeasure(
      trx,
      {
        householdId: household.householdId,
        countyCode: household.countyCode,
        type,
        date,
        amountFen,
        provider,
        note,
        enteredBy: input.actor,
      },
      now,
    );
    if (result.created) {
      await insertAudit(trx, [
        {
          entity: 'measure',
          entityId: result.measure.id,
          action: 'create',
          fromStatus: null,
          toStatus: null,
          actor: input.actor,
          note: `户 ${household.householdId}：${MEASURE_TYPES[type]}，${date}`,
          at: now,
        },
      ]);
    }
    return result;
  });
}
