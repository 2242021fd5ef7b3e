/**
 * Static assets: the stylesheet, the chart script, the icon, and Chart.js's UMD build served
 * from node_modules (no CDN: office networks may not reach the internet). Read once at start.
 * `/favicon.ico` answers with the icon too: browsers ask for it on their own.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { withSchemaTypes } from './type-provider.js';

const require = createRequire(import.meta.url);

const ASSETS: Record<string, { path: string; type: string }> = {
  'app.css': { path: fileURLToPath(new URL('../static/app.css', import.meta.url)), type: 'text/css; charset=utf-8' },
  'charts.js': { path: fileURLToPath(new URL('../static/charts.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
  'favicon.ico': { path: fileURLToPath(new URL('../static/favicon.ico', import.meta.url)), type: 'image/x-icon' },
  'lists.js': { path: fileURLToPath(new URL('../static/lists.js', import.meta.url)), type: 'text/javascript; charset=utf-8' },
  'chart.umd.min.js': {
    // The package does not export its UMD build; it sits beside the CommonJS entry.
    path: join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

export async function staticRoutes(fastify: FastifyInstance): Promise<void> {
  const app = withSchemaTypes(fastify);
  const loaded = new Map<string, { body: Buffer; type: string }>();
  for (const [name, asset] of Object.entries(ASSETS)) loaded.set(name, { body: await readFile(asset.path), type: asset.type });
  app.get(
    '/static/:name',
    { schema: { hide: true, params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } }, required: ['name'] } } },
    async (request, reply) => {
      const asset = loaded.get(request.params.name);
      if (!asset) return reply.callNotFound();
      return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
    },
  );
  const icon = loaded.get('favicon.ico')!;
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(icon.type).header('cache-control', 'public, max-age=86400').send(icon.body),
  );
}
