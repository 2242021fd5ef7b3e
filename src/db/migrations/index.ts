/**
 * Every migration, in order. Append-only: never edit, rename or reorder an entry that has
 * shipped; add a new file and list it last.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-reference-data.js';
import * as m0002 from './0002-monitoring.js';

export const migrations: Record<string, Migration> = {
  '0001-reference-data': m0001,
  '0002-monitoring': m0002,
};
