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
import { installAuth, SESSION_COOKIE } from './auth.plugin.js';
import { frameworkErrorHandler, installErrorHandling } from './errors.plugin.js';
import { installInputGuard } from './input-guard.plugin.js';
import { installSecurityHeaders, setSecurityHeaders } from './security-headers.plugin.js';
import { installLang } from './lang.plugin.js';
import { queuesPlugin } from './queues.plugin.js';
import { apiRoutes } from './routes/api.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { dashboardRoutes } from './routes/dashboard.routes.js';
import { inboxRoutes } from './routes/inbox.routes.js';
import { listRoutes } from './routes/lists.routes.js';
import { rulesRoutes } from './routes/rules.routes.js';
import { staticRoutes } from './routes/static.routes.js';

export interface ServerOptions {
  db: Db;
  /** PUBLIC_URL: https makes cookies Secure. */
  publicUrl: string;
  rulesDir: string;
  /** Draft rule directory previewed (read-only) on the rules page. */
  rulesDraftDir?: string;
  /** Queues for the admin queue view; omitted = the view says queues are unavailable. */
  jobs?: JobCatalog;
  /** Log requests (pino); default false. Never logs bodies. */
  logRequests?: boolean;
  /** Trust X-Forwarded-* from these reverse proxies (TRUST_PROXY); default false. */
  trustProxy?: boolean | number | string[];
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
    logger: options.logRequests ? { level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] } : false,
    trustProxy: trustProxySetting(options.trustProxy),
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
    // Errors before routing bypass the hooks: the security headers are set here.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(request, reply);
      void frameworkErrorHandler(error, request, reply); // sends the reply; Fastify awaits nothing here
    },
  });
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, schema: route.schema });
  });
  installErrorHandling(app);
  installInputGuard(app);
  installSecurityHeaders(app);
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
  installAuth(app, { db: options.db });
  installLang(app, { secureCookies: options.publicUrl.startsWith('https:') });

  await app.register(staticRoutes);
  await app.register(authRoutes, {
    db: options.db,
    secureCookies: options.publicUrl.startsWith('https:'),
    origin: new URL(options.publicUrl).origin,
  });
  await app.register(inboxRoutes, { db: options.db });
  await app.register(listRoutes, { db: options.db });
  await app.register(dashboardRoutes, { db: options.db, rulesDir: options.rulesDir });
  await app.register(rulesRoutes, { db: options.db, rulesDir: options.rulesDir, draftDir: options.rulesDraftDir });
  await app.register(apiRoutes, { db: options.db, rulesDir: options.rulesDir });
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
