/** web accounts, sessions, API tokens, access log. Placeholder: filled by the module that owns it before it ships. */
import type { Kysely } from 'kysely';

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
