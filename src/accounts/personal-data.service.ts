/**
 * Personal data of households as the faces may show it: masked by default; unmasked only for
 * roles allowed to reveal it (county officers of that county, admins) and only with an access
 * log row written first. Never throws for masking; reveal throws Forbidden/NotFound.
 */
import type { Db } from '../db/database.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { findHousehold, type HouseholdRow } from '../views/household-view.repository.js';
import { insertAccessLog } from './access-log.repository.js';
import { maskPersonal, type PersonalData } from './masking.js';
import { canRevealPersonal, countyScope, type Principal } from './roles.js';

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
  if (!row) throw new NotFoundError(`no household ${householdId}`);
  return maskedHousehold(user, row);
}

/**
 * The household with personal data unmasked, after logging the access (who, which fields,
 * where, from which address). NotFoundError outside the user's county; ForbiddenError for
 * roles that may not reveal.
 */
export async function revealHousehold(
  db: Db,
  user: Principal,
  householdId: string,
  access: { context: string; ip: string | null },
): Promise<HouseholdView> {
  const row = await findHousehold(db, householdId, { countyCode: countyScope(user) });
  if (!row) throw new NotFoundError(`no household ${householdId}`);
  if (!canRevealPersonal(user, row.countyCode)) throw new ForbiddenError(`${user.role} may not see unmasked personal data`);
  await insertAccessLog(db, {
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
  return { ...row, revealed: true, canReveal: true };
}
