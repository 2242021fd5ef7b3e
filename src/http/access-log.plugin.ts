/**
 * The access log: one JSON line per answered request on stderr, through the process logger
 * like every other log (LOG_LEVEL applies). It names the route pattern (`/tasks/:id`), never
 * the raw URL: a query string may carry search terms (a household id, a village), and bodies
 * and headers may carry personal data. The user is logged by account id only.
 */
import type { FastifyInstance } from 'fastify';
import { logger } from '../logger.js';

export function installAccessLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    logger().info(
      {
        access: true,
        method: request.method,
        // Unknown paths have no pattern: logged as null, not as what the caller typed.
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        userId: request.user?.id ?? null,
      },
      'request',
    );
  });
}
