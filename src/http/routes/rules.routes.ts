/** The rules page (rule authors, city monitors, admins). */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { requireUser } from '../auth.plugin.js';
import { rulesPage } from '../pages/rules.page.js';
import { loadRulesView, type RulesViewOptions } from '../views/rules.view.js';
import { textQuery } from './api.schemas.js';
import { pageContext } from './page-context.js';
import { withSchemaTypes } from './type-provider.js';

export async function rulesRoutes(fastify: FastifyInstance, options: { db: Db } & RulesViewOptions): Promise<void> {
  withSchemaTypes(fastify).get(
    '/rules',
    { schema: { hide: true, querystring: { type: 'object', properties: { preview: textQuery } } }, preHandler: requireUser('rules:read') },
    async (request, reply) => {
      const withPreview = request.query.preview === '1';
      const data = await loadRulesView(options.db, { ...options, withPreview });
      return reply.type('text/html; charset=utf-8').send(rulesPage(pageContext(request), data));
    },
  );
}
