/**
 * Every migration, in order. Append-only: never edit, rename or reorder an entry that has
 * shipped; add a new file and list it last.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-reference-data.js';
import * as m0002 from './0002-monitoring.js';
import * as m0003 from './0003-notifications.js';
import * as m0004 from './0004-web.js';
import * as m0005 from './0005-task-cases.js';
import * as m0006 from './0006-cycle-cancelled.js';
import * as m0007 from './0007-list-indexes.js';
import * as m0009 from './0009-department-signals.js';
import * as m0010 from './0010-session-flash.js';
import * as m0011 from './0011-leads-monitoring.js';
import * as m0012 from './0012-reports.js';
import * as m0016 from './0016-household-review.js';
import * as m0017 from './0017-income-series.js';
import * as m0019 from './0019-inbox-at-size.js';

export const migrations: Record<string, Migration> = {
  '0001-reference-data': m0001,
  '0002-monitoring': m0002,
  '0003-notifications': m0003,
  '0004-web': m0004,
  '0005-task-cases': m0005,
  '0006-cycle-cancelled': m0006,
  '0007-list-indexes': m0007,
  '0009-department-signals': m0009,
  '0010-session-flash': m0010,
  '0011-leads-monitoring': m0011,
  '0012-reports': m0012,
  '0016-household-review': m0016,
  '0017-income-series': m0017,
  '0019-inbox-at-size': m0019,
};
