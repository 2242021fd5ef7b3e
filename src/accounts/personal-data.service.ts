/**
 * Personal data of households as the faces may show it: masked by default; unmasked only for
 * roles allowed to reveal it (county officers of that county, admins) and only with an access
 * log row written first. Never throws for masking; reveal throws Forbidden/NotFound.
 */
import type { Db } from '../db/database.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { findHousehold, type HouseholdRow } from '../views/household-view.repository.js';
import { accessLogged, insertAccessLog } from './access-log.repository.js';
import { maskPersonal, type PersonalData } from './masking.js';
import { canRevealPersonal, countyScope, type Principal, ROLES } from './roles.js';

/** A household that does not exist or is not in the user's county (the same answer: no hint which). */
const noHousehold = (id: string) => new NotFoundError({ zh: `户 ${id} 不存在`, en: `no household ${id}` });

export interface HouseholdView extends Omit<HouseholdRow, 'headName' | 'idNumber' | 'phone'>, PersonalData {
  /** True when headName, idNumber and phone are shown unmasked. */
  revealed: boolean;
  /** True when this user may ask to reveal them. */
  canReveal: boolean;
}

/** The household with personal data masked. */
export function maskedHousehold(user: Principal, row: HouseholdRow): HouseholdView {
  return { ...row, ...maskPersonal(row), revealed: false, canReveal: canRevealPersonal(user, row.countyCode) };
}

/** The household (within the user's scope) with personal data masked, or NotFoundError. */
export async function getHouseholdView(db: Db, user: Principal, householdId: string): Promise<HouseholdView> {
  const row = await findHousehold(db, householdId, { countyCode: countyScope(user) });
  if (!row) throw noHousehold(householdId);
  return maskedHousehold(user, row);
}

/**
 * The household with personal data unmasked, after logging the access (who, which fields,
 * where, from which address); `accessLogId` is the row written. NotFoundError outside the
 * user's county; ForbiddenError for roles that may not reveal.
 */
export async function revealHousehold(
  db: Db,
  user: Principal,
  householdId: string,
  access: { context: string; ip: string | null },
): Promise<HouseholdView & { accessLogId: number }> {
  const row = await findHousehold(db, householdId, { countyCode: countyScope(user) });
  if (!row) throw noHousehold(householdId);
  if (!canRevealPersonal(user, row.countyCode)) {
    throw new ForbiddenError({ zh: `${ROLES[user.role]}无权查看完整个人信息`, en: `${user.role} may not see unmasked personal data` });
  }
  const accessLogId = await insertAccessLog(db, {
    actor: user.name,
    role: user.role,
    entity: 'household',
    entityId: row.householdId,
    fields: ['head_name', 'id_number', 'phone'].filter(
      (f) => row[f === 'head_name' ? 'headName' : f === 'id_number' ? 'idNumber' : 'phone'] != null,
    ),
    context: access.context,
    ip: access.ip,
  });
  return { ...row, revealed: true, canReveal: true, accessLogId };
}

/** How long a logged reveal may be shown again (the page reloaded) without a new access-log row. */
export const REVEAL_SHOWN_MS = 10 * 60 * 1000;

/**
 * The household unmasked again for a reveal already logged in access-log row `accessLogId`
 * (the page after "显示完整信息", reloaded): only when that row records this user seeing this
 * household less than REVEAL_SHOWN_MS ago, and the user may still reveal it; writes nothing.
 * Otherwise the household masked.
 */
export async function householdAsRevealed(
  db: Db,
  user: Principal,
  householdId: string,
  accessLogId: number,
  now = new Date(),
): Promise<HouseholdView> {
  const row = await findHousehold(db, householdId, { countyCode: countyScope(user) });
  if (!row) throw noHousehold(householdId);
  const logged =
    canRevealPersonal(user, row.countyCode) &&
    (await accessLogged(db, accessLogId, {
      actor: user.name,
      entity: 'household',
      entityId: row.householdId,
      since: new Date(now.getTime() - REVEAL_SHOWN_MS),
    }));
  return logged ? { ...row, revealed: true, canReveal: true } : maskedHousehold(user, row);
}
