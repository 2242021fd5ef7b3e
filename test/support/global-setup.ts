/**
 * Runs once per `vitest run`: builds a migrated template database that every integration
 * test file copies (`CREATE DATABASE … TEMPLATE …`), and the command line transpiled for the
 * child processes tests spawn (test/support/cli-build.ts); removes both at the end. Names are
 * unique per run, so concurrent runs on one machine do not collide; test files receive them with
 * `inject('templateDatabase')`, `inject('cliEntry')` (vitest's provide/inject, not the environment).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { dropDatabase, migrateToLatest } from '../../src/db/migrate.js';
import { withDatabase } from '../../src/db/database.js';
import { buildCliEntry } from './cli-build.js';
import { TEST_PG_URL } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the migrated template database of this run. */
    templateDatabase: string;
    /** Entry script of the command line transpiled for this run (test/support/cli-build.ts). */
    cliEntry: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `iw_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await migrateToLatest(withDatabase(TEST_PG_URL, name));
  project.provide('templateDatabase', name);
  const cli = buildCliEntry();
  project.provide('cliEntry', cli);
  return async () => {
    rmSync(dirname(cli), { recursive: true, force: true });
    await dropDatabase(withDatabase(TEST_PG_URL, name));
  };
}
