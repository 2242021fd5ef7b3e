/**
 * Runs once per `vitest run`: builds a migrated template database that every integration
 * test file copies (`CREATE DATABASE … TEMPLATE …`), and drops it at the end. The name is
 * unique per run, so concurrent runs on one server do not collide; test files receive it with
 * `inject('templateDatabase')` (vitest's provide/inject, not the environment).
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dropDatabase, migrateToLatest } from '../../src/db/migrate.js';
import { withDatabase } from '../../src/db/database.js';
import { TEST_PG_URL } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the migrated template database of this run. */
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `iw_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await migrateToLatest(withDatabase(TEST_PG_URL, name));
  project.provide('templateDatabase', name);
  return () => dropDatabase(withDatabase(TEST_PG_URL, name));
}
