/**
 * Runs once per `vitest run`: builds a migrated template database that every integration
 * test file copies (`CREATE DATABASE … TEMPLATE …`), and drops it at the end. The name is
 * unique per run, so concurrent runs on one server do not collide.
 */
import { randomBytes } from 'node:crypto';
import { dropDatabase, migrateToLatest } from '../../src/db/migrate.js';
import { withDatabase } from '../../src/db/database.js';
import { TEMPLATE_DB_ENV, TEST_PG_URL } from './env.js';

export default async function setup(): Promise<() => Promise<void>> {
  const name = `iw_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await migrateToLatest(withDatabase(TEST_PG_URL, name));
  process.env[TEMPLATE_DB_ENV] = name;
  return () => dropDatabase(withDatabase(TEST_PG_URL, name));
}
