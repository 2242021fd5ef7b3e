/**
 * The household pages: the search (`/households?q=&status=&county=&page=`) and the household
 * page (`/households/{id}`) with "显示完整信息". County officers are held to their county on every
 * route: the search lists only their households, another county's household answers 404.
 *
 * The reveal works as on the task page (src/http/routes/task.routes.ts): POST writes the
 * access-log row and redirects to `/households/{id}?reveal=<row>`, which shows the data unmasked
 * while that row records this user seeing this household less than ten minutes ago.
 */
import type { FastifyInstance } from 'fastify';
import { revealHousehold } from '../../accounts/personal-data.service.js';
import { countyScope } from '../../accounts/roles.js';
import type { Db } from '../../db/database.js';
import { MONITORING_STATUS_CODES } from '../../domain/catalog.js';
import { searchHouseholds } from '../../views/household.repository.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { householdPage, householdsPage, type HouseholdsQuery } from '../pages/household.page.js';
import { loadHouseholdPage } from '../views/household.view.js';
import { householdParams, recordId, textQuery } from './api.schemas.js';
import { countyOptions, pageContext } from './page-context.js';
import { withSchemaTypes } from './type-provider.js';

/** Households per page of the search. */
const PAGE_SIZE = 50;

const searchQuery = {
  type: 'object',
  properties: { q: textQuery, status: textQuery, county: textQuery, page: textQuery },
} as const;

const revealQuery = { type: 'object', properties: { reveal: recordId } } as const;

/** The search as asked, within the user's scope; values that are not valid are ignored. */
function parseSearch(raw: { q?: string; status?: string; county?: string; page?: string }, scope: string | undefined): HouseholdsQuery {
  const q = (raw.q ?? '').replace(/\s+/g, '').slice(0, 64);
  const status = (MONITORING_STATUS_CODES as readonly string[]).includes(raw.status ?? '') ? raw.status! : '';
  const county = scope ?? (/^[0-9]{6}$/.test(raw.county ?? '') ? raw.county! : '');
  const page = /^[1-9][0-9]{0,6}$/.test(raw.page ?? '') ? Number(raw.page) : 1;
  return { q, status, county, countyFixed: scope !== undefined, page };
}

export async function householdRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);

  app.get(
    '/households',
    { schema: { hide: true, querystring: searchQuery }, preHandler: requireUser('tasks:read') },
    async (request, reply) => {
      const user = currentUser(request);
      const query = parseSearch(request.query, countyScope(user));
      const [{ rows, total }, counties] = await Promise.all([
        searchHouseholds(
          db,
          { q: query.q || undefined, status: query.status || undefined, countyCode: query.county || undefined },
          { limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE },
        ),
        countyOptions(db, user),
      ]);
      const page = householdsPage(pageContext(request), {
        query,
        rows,
        total,
        size: PAGE_SIZE,
        counties: query.countyFixed ? [] : counties,
      });
      return reply.type('text/html; charset=utf-8').send(page);
    },
  );

  app.get(
    '/households/:id',
    { schema: { hide: true, params: householdParams, querystring: revealQuery }, preHandler: requireUser('tasks:read') },
    async (request, reply) => {
      const revealed = request.query.reveal;
      const data = await loadHouseholdPage(db, currentUser(request), request.params.id, { revealed });
      // Unmasked personal data is never kept by the browser or a proxy.
      if (revealed !== undefined) reply.header('cache-control', 'no-store');
      return reply.type('text/html; charset=utf-8').send(householdPage(pageContext(request), data));
    },
  );

  app.post(
    '/households/:id/reveal',
    { schema: { hide: true, params: householdParams }, preHandler: requireUser('personal:reveal') },
    async (request, reply) => {
      const id = request.params.id;
      const { accessLogId, householdId } = await revealHousehold(db, currentUser(request), id, {
        context: `web:/households/${id}`,
        ip: request.ip,
      });
      return reply.redirect(`/households/${encodeURIComponent(householdId)}?reveal=${accessLogId}`, 303);
    },
  );
}
