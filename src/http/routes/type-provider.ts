/**
 * The Fastify type provider of the routes: request params, querystring and body get their
 * TypeScript types from the route's JSON Schema (json-schema-to-ts), so handlers read them
 * without casts and a schema change that breaks a handler fails the type check.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance, FastifyTypeProvider } from 'fastify';

/** The request type json-schema-to-ts's provider infers from `Schema`. */
type Validated<Schema> = (JsonSchemaToTsProvider & { schema: Schema })['validator'];

/**
 * Request types come from the schemas; reply values stay unchecked by the compiler (`unknown`):
 * the serializer shapes them from the same response schema at run time, and json-schema-to-ts
 * would demand index signatures (`additionalProperties`) that the domain's interfaces do not declare.
 */
export interface SchemaTypeProvider extends FastifyTypeProvider {
  validator: Validated<this['schema']>;
  serializer: unknown;
}

/** `app` with request types inferred from route schemas. */
export function withSchemaTypes(app: FastifyInstance) {
  return app.withTypeProvider<SchemaTypeProvider>();
}
