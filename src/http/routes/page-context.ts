/**
 * What every page route hands to the layout (user, CSRF token, path, language, flash) and the
 * county choices of list filters. County officers are held to their county.
 */
import type { FastifyRequest } from 'fastify';
import { countyScope, type Principal } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { listCounties } from '../../views/dashboard.repository.js';
import type { PageContext } from '../pages/layout.template.js';

export function pageContext(request: FastifyRequest): PageContext {
  return { user: request.user, csrfToken: request.csrfToken, path: request.url, lang: request.lang, flash: request.flash };
}

/** Counties for filters: all for city-wide roles, only their own for county officers. */
export async function countyOptions(db: Db, user: Principal): Promise<Array<{ code: string; name: string }>> {
  const scope = countyScope(user);
  return (await listCounties(db)).filter((c) => !scope || c.code === scope);
}
