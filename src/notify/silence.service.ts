/**
 * Silences: hold notifications back for a county, a rule or a household until a time.
 * Alerts are still recorded (and marked `silenced`); what is held goes out when the silence
 * ends, if its alerts are still open (release.service.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SilenceScope } from '../db/tables/notify.table.js';
import { beijingDateTime } from '../domain/beijing-time.js';
import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { type ReleaseResult, releaseHolds } from './release.service.js';
import {
  findSilence,
  insertSilence,
  listSilences,
  markSilenceExpired,
  type SilenceRow,
  silenceTargetExists,
} from './silence.repository.js';
import { parseUntil, SCOPE_NAMES } from './silence.policy.js';

export interface AddSilenceInput {
  county?: string;
  rule?: string;
  household?: string;
  /** `YYYY-MM-DD` (through that day, Asia/Shanghai) or an ISO time. */
  until: string;
  reason: string;
  /** Who: `cli:<os user>`, a user name. */
  actor: string;
}

/** Adds a silence. Exactly one of county / rule / household; the county or household must exist. */
export async function addSilence(db: Kysely<Database>, input: AddSilenceInput, now: Date = new Date()): Promise<SilenceRow> {
  const given = (['county', 'rule', 'household'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1)
    throw new UsageError({
      zh: 'silence add：--county <区县代码>、--rule <规则 id>、--household <户编码> 须且只能给出一个',
      en: 'silence add: give exactly one of --county <code>, --rule <id>, --household <id>',
    });
  const scope: SilenceScope = given[0]!;
  const value = input[scope]!.trim();
  if (scope === 'county' && !/^\d{6}$/.test(value))
    throw new UsageError({ zh: `--county ${value}：区县代码是 6 位数字`, en: `--county ${value}: a county code has 6 digits` });
  if (scope === 'rule' && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value))
    throw new UsageError({ zh: `--rule ${value}：不是规则 id`, en: `--rule ${value}: not a rule id` });
  if (!input.reason.trim()) throw new UsageError({ zh: 'silence add：--reason 不能为空', en: 'silence add: --reason must not be empty' });
  const until = parseUntil(input.until, now);
  return db.transaction().execute(async (trx) => {
    if (!(await silenceTargetExists(trx, scope, value)))
      throw new NotFoundError({ zh: `${SCOPE_NAMES[scope]} ${value} 不存在`, en: `${scope} ${value} does not exist` });
    return insertSilence(trx, { scope, value, until, reason: input.reason.trim(), createdBy: input.actor, now });
  });
}

export async function silences(
  db: Kysely<Database>,
  options: { all?: boolean; now?: Date } = {},
): Promise<Array<SilenceRow & { active: boolean }>> {
  const now = options.now ?? new Date();
  const rows = await listSilences(db, { all: options.all ?? false, now });
  return rows.map((r) => ({ ...r, active: r.expiredAt === null && r.until.getTime() > now.getTime() }));
}

/**
 * Ends a silence now and releases, in the same transaction, what it held and is still open:
 * those notifications go out at the next drain.
 */
export async function expireSilence(
  db: Kysely<Database>,
  input: { id: number; actor: string; publicUrl: string },
  now: Date = new Date(),
): Promise<{ silence: SilenceRow; release: ReleaseResult }> {
  return db.transaction().execute(async (trx) => {
    const silence = await findSilence(trx, input.id);
    if (!silence) throw new NotFoundError({ zh: `静默规则 ${input.id} 不存在`, en: `silence ${input.id} does not exist` });
    if (silence.expiredAt !== null)
      throw new ConflictError({
        zh: `静默 ${input.id} 已于 ${beijingDateTime(silence.expiredAt)}（北京时间）结束`,
        en: `silence ${input.id} was already expired at ${beijingDateTime(silence.expiredAt)} (Beijing time)`,
      });
    if (silence.until.getTime() > now.getTime()) await markSilenceExpired(trx, input.id, input.actor, now);
    const release = await releaseHolds(trx, { publicUrl: input.publicUrl, now });
    return { silence: { ...silence, expiredAt: silence.expiredAt ?? now }, release };
  });
}
