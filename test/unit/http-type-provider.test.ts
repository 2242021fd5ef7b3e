/**
 * Request types come from the route schemas (the json-schema-to-ts type provider): a handler's
 * params, querystring and body have the schema's types at compile time (`tsc --noEmit` checks
 * the expectTypeOf lines) and the values validation produced at run time. No route casts them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { idParams, pageQuery } from '../../src/http/routes/api.schemas.js';
import { withSchemaTypes } from '../../src/http/routes/type-provider.js';

describe('Fastify type provider', () => {
  it('params, querystring and body are typed from the schemas and hold the validated values', async () => {
    const app = withSchemaTypes(Fastify());
    const body = { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] } as const;
    const querystring = { type: 'object', properties: { status: { type: 'string', enum: ['open', 'closed'] }, ...pageQuery } } as const;
    app.post('/t/:id', { schema: { params: idParams, querystring, body } }, async (request) => {
      expectTypeOf(request.params.id).toEqualTypeOf<number>();
      expectTypeOf(request.query.status).toEqualTypeOf<'open' | 'closed' | undefined>();
      expectTypeOf(request.body.note).toEqualTypeOf<string>();
      return { id: request.params.id, status: request.query.status, limit: request.query.limit, note: request.body.note };
    });
    const response = await app.inject({ method: 'POST', url: '/t/42?status=open', payload: { note: '已核实' } });
    expect(response.json()).toEqual({ id: 42, status: 'open', limit: 500, note: '已核实' });
    expect((await app.inject({ method: 'POST', url: '/t/42?status=other', payload: { note: 'x' } })).statusCode).toBe(400);
    await app.close();
  });

  it('no route casts request params, query or body', () => {
    const dir = new URL('../../src/http/routes/', import.meta.url);
    const casts = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        readFileSync(new URL(f, dir), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
          .filter(({ line }) => /request\.(params|query|body)\b[^;]*\bas\b/.test(line)),
      );
    expect(casts).toEqual([]);
  });
});
