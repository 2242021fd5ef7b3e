/**
 * The web server: JSON API (/api, described at /api/openapi.json), server-rendered pages in
 * Simplified Chinese, and the admin queue view. `buildServer` wires everything for a given
 * database (tests call it directly); `startServer` listens and returns a handle to close.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import type { Db } from '../db/database.js';
import type { JobCatalog } from '../jobs/job.catalog.js';
import { installAccessLog } from './access-log.plugin.js';
import { installAuth, SESSION_COOKIE } from './auth.plugin.js';
import { frameworkErrorHandler, installErrorHandling } from './errors.plugin.js';
import { installFlash } from './flash.js';
import { installInputGuard } from './input-guard.plugin.js';
import { installSecurityHeaders, setSecurityHeadersBeforeRouting } from './security-headers.plugin.js';
import { installLang } from './lang.plugin.js';
import { queuesPlugin } from './queues.plugin.js';
import { accountRoutes } from './routes/account.routes.js';
import { apiRoutes } from './routes/api.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { dashboardRoutes } from './routes/dashboard.routes.js';
import { householdApiRoutes } from './routes/household-api.routes.js';
import { householdRoutes } from './routes/household.routes.js';
import { listRoutes } from './routes/lists.routes.js';
import { ledgerRoutes } from './routes/ledger.routes.js';
import { reportRoutes } from './routes/report.routes.js';
import { rulesRoutes } from './routes/rules.routes.js';
import { staticRoutes } from './routes/static.routes.js';
import { taskRoutes } from './routes/task.routes.js';

export interface ServerOptions {
  db: Db;
  /** PUBLIC_URL: https makes cookies Secure. */
  publicUrl: string;
  rulesDir: string;
  /** Draft rule directory previewed (read-only) on the rules page. */
  rulesDraftDir?: string;
  /** Queues for the admin queue view; omitted = the view says queues are unavailable. */
  jobs?: JobCatalog;
  /** Log one line per request (src/http/access-log.plugin.ts); default false. */
  logRequests?: boolean;
  /** Trust X-Forwarded-* from these reverse proxies (TRUST_PROXY); default false. */
  trustProxy?: boolean | number | string[];
  /** Keys the forms' CSRF tokens (CSRF_SECRET); default a random key for this server's lifetime. */
  csrfSecret?: string;
}

/** One registered route (every route of the server, including Bull Board's and HEAD twins). */
export interface RouteEntry {
  method: string;
  /** The path pattern, e.g. `/tasks/:id`. */
  url: string;
  schema?: FastifySchema;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered on this server, in registration order (walked by the hostile-input test). */
    routeTable: RouteEntry[];
  }
}

/** Fastify takes a hop count as a function: trust the first `hops` proxies from the socket. */
function trustProxySetting(value: ServerOptions['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify's own request logging would print raw URLs (search terms) on stdout: the access
    // log below writes through the process logger instead.
    logger: false,
    trustProxy: trustProxySetting(options.trustProxy),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    // Errors before routing bypass the hooks (helmet's too): the security headers are set here.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeadersBeforeRouting(request, reply);
      void frameworkErrorHandler(error, request, reply); // sends the reply; Fastify awaits nothing here
    },
  });
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, schema: route.schema });
  });
  if (options.logRequests) installAccessLog(app);
  installErrorHandling(app, { db: options.db });
  installInputGuard(app);
  await installSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'income-watch API · 收入监测预警',
        version: '1',
        description:
          'Alerts, follow-up tasks, households (personal data masked), dashboard and rules. Authenticate with `Authorization: Bearer <token>` (`income-watch users token <name>`) or the session cookie of the web pages (then send `x-csrf-token` on writes). County officers see only their county: other counties answer 404.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...(schema ?? {}), hide: true }, url }),
  });
  const secureCookies = options.publicUrl.startsWith('https:');
  await installAuth(app, { db: options.db, csrfSecret: options.csrfSecret, secureCookies });
  installFlash(app, { db: options.db });
  installLang(app, { secureCookies });

  await app.register(staticRoutes);
  await app.register(authRoutes, {
    db: options.db,
    secureCookies,
    origin: new URL(options.publicUrl).origin,
  });
  await app.register(taskRoutes, { db: options.db });
  await app.register(accountRoutes, { db: options.db });
  await app.register(listRoutes, { db: options.db });
  await app.register(ledgerRoutes, { db: options.db });
  await app.register(dashboardRoutes, { db: options.db, rulesDir: options.rulesDir });
  await app.register(reportRoutes, { db: options.db, rulesDir: options.rulesDir });
  await app.register(rulesRoutes, { db: options.db, rulesDir: options.rulesDir, draftDir: options.rulesDraftDir });
  await app.register(apiRoutes, { db: options.db, rulesDir: options.rulesDir });
  await app.register(householdRoutes, { db: options.db });
  await app.register(householdApiRoutes, { db: options.db });
  await app.register(queuesPlugin, { jobs: options.jobs });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  return app;
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  close(): Promise<void>;
}

/** Builds and starts the server on `host:port` (port 0 = a free one). */
export async function startServer(options: ServerOptions & { port: number; host?: string }): Promise<RunningServer> {
  const app = await buildServer(options);
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    close: () => app.close(),
  };
}
