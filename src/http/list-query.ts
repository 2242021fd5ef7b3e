/**
 * The URL of the inbox and the alert list: every filter, the sort and the page live in the query
 * string, so a list can be bookmarked, mailed and exported as shown. One parser reads it (pages,
 * exports, bulk acknowledge's way back) and one writer makes the links, leaving out defaults.
 * A value that is not valid is ignored and named (`problems`), never an error page.
 */
import { countyScope, type Principal } from '../accounts/roles.js';
import { ALERT_STATUSES, TASK_STATUSES } from '../cases/statuses.js';
import { ALERT_SEVERITIES, CATEGORIES, CAUSES } from '../domain/catalog.js';
import { parsePeriod } from '../domain/period.js';
import { UsageError } from '../errors.js';
import { pageQuery, recordId, textQuery } from './routes/api.schemas.js';
import {
  ALERT_SORTS,
  type AlertListFilter,
  type AlertSort,
  type ListOrder,
  type Page,
  TASK_SORTS,
  type TaskListFilter,
  type TaskSort,
} from '../views/case-list.repository.js';

export type ListKind = 'tasks' | 'alerts';

/** Rows per page a user may choose; the first is not the default. */
export const PAGE_SIZES = [20, 50, 100, 200] as const;
const DEFAULT_SIZE = 50;

/** The query string's fields, in the order links write them. */
export const LIST_FIELDS = [
  'county',
  'status',
  'overdue',
  'severity',
  'cause',
  'rule',
  'category',
  'township',
  'village',
  'period',
  'cycle',
  'q',
  'sort',
  'dir',
  'size',
  'page',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export interface ListQuery {
  kind: ListKind;
  county: string;
  /** The county is the user's own and cannot change (county officers): links leave it out. */
  countyFixed: boolean;
  status: string;
  overdue: boolean;
  severity: string;
  cause: string;
  rule: string;
  category: string;
  township: string;
  village: string;
  period: string;
  cycle: string;
  /** Household id, or its last characters. */
  q: string;
  sort: string;
  dir: 'asc' | 'desc';
  size: number;
  page: number;
  /** Fields whose value was not valid and is ignored. */
  problems: Array<{ field: ListField; value: string }>;
}

/** The JSON Schema of the query string (bounded printable text; values are checked by parseListQuery). */
export const listQuerySchema = {
  type: 'object',
  properties: {
    county: textQuery,
    status: textQuery,
    overdue: textQuery,
    severity: textQuery,
    cause: textQuery,
    rule: textQuery,
    category: textQuery,
    township: textQuery,
    village: textQuery,
    period: textQuery,
    cycle: textQuery,
    q: textQuery,
    sort: textQuery,
    dir: textQuery,
    size: textQuery,
    page: textQuery,
  },
} as const;

const STATUS_CHOICES: Record<ListKind, readonly string[]> = {
  tasks: ['active', 'all', ...TASK_STATUSES],
  alerts: ['active', 'all', ...ALERT_STATUSES],
};
const SORTS: Record<ListKind, readonly string[]> = { tasks: TASK_SORTS, alerts: ALERT_SORTS };
const DEFAULT_SORT: Record<ListKind, { sort: string; dir: 'asc' | 'desc' }> = {
  tasks: { sort: 'due', dir: 'asc' },
  alerts: { sort: 'created', dir: 'desc' },
};

function defaults(kind: ListKind): Omit<ListQuery, 'problems'> {
  return {
    kind,
    county: '',
    countyFixed: false,
    status: 'active',
    overdue: false,
    severity: '',
    cause: '',
    rule: '',
    category: '',
    township: '',
    village: '',
    period: '',
    cycle: '',
    q: '',
    sort: DEFAULT_SORT[kind].sort,
    dir: DEFAULT_SORT[kind].dir,
    size: DEFAULT_SIZE,
    page: 1,
  };
}

/**
 * The list a user asked for, within their scope: a county officer's county is always their own
 * (another county in the URL is replaced, not refused, so a mailed link still opens).
 */
export function parseListQuery(kind: ListKind, raw: Partial<Record<string, unknown>>, user: Principal): ListQuery {
  const q: ListQuery = { ...defaults(kind), problems: [] };
  const take = (field: ListField, ok: (value: string) => boolean, set: (value: string) => void) => {
    const given = raw[field];
    const value = typeof given === 'string' ? given.trim() : '';
    if (value === '') return;
    if (ok(value)) set(value);
    else q.problems.push({ field, value });
  };
  const scope = countyScope(user);
  if (scope) {
    q.county = scope;
    q.countyFixed = true;
  } else
    take(
      'county',
      (v) => /^[0-9]{6}$/.test(v),
      (v) => (q.county = v),
    );
  take(
    'status',
    (v) => STATUS_CHOICES[kind].includes(v),
    (v) => (q.status = v),
  );
  take(
    'overdue',
    (v) => v === '1' || v === 'true' || v === '0' || v === 'false',
    (v) => (q.overdue = v === '1' || v === 'true'),
  );
  if (kind === 'alerts')
    take(
      'severity',
      (v) => Object.hasOwn(ALERT_SEVERITIES, v),
      (v) => (q.severity = v),
    );
  take(
    'cause',
    (v) => Object.hasOwn(CAUSES, v),
    (v) => (q.cause = v),
  );
  take(
    'rule',
    (v) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v),
    (v) => (q.rule = v),
  );
  take(
    'category',
    (v) => Object.hasOwn(CATEGORIES, v),
    (v) => (q.category = v),
  );
  take(
    'township',
    () => true,
    (v) => (q.township = v),
  );
  take(
    'village',
    () => true,
    (v) => (q.village = v),
  );
  take(
    'period',
    (v) => parsePeriod(v) !== null,
    (v) => (q.period = parsePeriod(v)!.text),
  );
  take(
    'cycle',
    (v) => /^[1-9][0-9]{0,14}$/.test(v),
    (v) => (q.cycle = v),
  );
  take(
    'q',
    (v) => v.length <= 64,
    (v) => (q.q = v.replace(/\s+/g, '')),
  );
  take(
    'sort',
    (v) => SORTS[kind].includes(v),
    (v) => (q.sort = v),
  );
  take(
    'dir',
    (v) => v === 'asc' || v === 'desc',
    (v) => (q.dir = v as 'asc' | 'desc'),
  );
  take(
    'size',
    (v) => (PAGE_SIZES as readonly number[]).includes(Number(v)),
    (v) => (q.size = Number(v)),
  );
  take(
    'page',
    (v) => /^[1-9][0-9]{0,6}$/.test(v),
    (v) => (q.page = Number(v)),
  );
  return q;
}

/**
 * The query string of `q` with `changes` (`?…`, or '' when everything is default). Changing a
 * filter goes back to page 1 unless the change names the page.
 */
export function listSearch(q: ListQuery, changes: Partial<Omit<ListQuery, 'kind' | 'countyFixed' | 'problems'>> = {}): string {
  const next = { ...q, ...changes };
  if (!('page' in changes) && Object.keys(changes).length > 0) next.page = 1;
  const base = defaults(q.kind);
  const params = new URLSearchParams();
  for (const field of LIST_FIELDS) {
    const value = next[field];
    if (value === base[field] || (field === 'county' && next.countyFixed)) continue;
    params.set(field, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function caseFilter(q: ListQuery) {
  return {
    countyCode: q.county || undefined,
    cause: q.cause || undefined,
    ruleId: q.rule || undefined,
    cycleId: q.cycle ? Number(q.cycle) : undefined,
    township: q.township || undefined,
    village: q.village || undefined,
    category: q.category || undefined,
    period: q.period || undefined,
    household: q.q || undefined,
  };
}

export function taskFilterOf(q: ListQuery, today: string): TaskListFilter {
  return { ...caseFilter(q), status: q.status as TaskListFilter['status'], overdueOnly: q.overdue, today };
}

export function alertFilterOf(q: ListQuery): AlertListFilter {
  return { ...caseFilter(q), status: q.status as AlertListFilter['status'], severity: q.severity || undefined };
}

export function taskOrderOf(q: ListQuery): ListOrder<TaskSort> {
  return { sort: q.sort as TaskSort, desc: q.dir === 'desc' };
}

export function alertOrderOf(q: ListQuery): ListOrder<AlertSort> {
  return { sort: q.sort as AlertSort, desc: q.dir === 'desc' };
}

/**
 * The query string of GET /api/tasks and /api/alerts: the list pages' filters and sort (values
 * checked by the schema: a bad one answers 400 naming it), paged by `limit`/`offset`.
 */
export function apiListQuerySchema(kind: ListKind) {
  return {
    type: 'object',
    properties: {
      county: { type: 'string', pattern: '^[0-9]{6}$', description: 'county code (county officers: always their own)' },
      status: {
        type: 'string',
        enum: STATUS_CHOICES[kind],
        description: `a status, \`active\` (${kind === 'tasks' ? 'not closed' : 'open or acknowledged'}) or \`all\` (the default)`,
      },
      ...(kind === 'tasks'
        ? { overdue: { type: 'boolean', description: 'only tasks not closed whose due date has passed (Beijing time)' } }
        : { severity: { type: 'string', enum: Object.keys(ALERT_SEVERITIES) } }),
      cause: {
        type: 'string',
        enum: Object.keys(CAUSES),
        ...(kind === 'tasks' ? { description: 'tasks with an alert of this cause' } : {}),
      },
      rule: { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'rule id' },
      category: { type: 'string', enum: Object.keys(CATEGORIES), description: 'household category' },
      township: textQuery,
      village: { ...textQuery, description: 'part of the village name' },
      period: { ...textQuery, description: 'period: 2026, 2026-Q3 or 2026-09' },
      cycle: { ...recordId, description: 'raised by this monitoring cycle' },
      q: { ...textQuery, maxLength: 64, description: 'household id, or its last characters' },
      sort: {
        type: 'string',
        enum: SORTS[kind],
        description: kind === 'tasks' ? 'default `due` (overdue first, then by due date)' : 'default `created`',
      },
      dir: { type: 'string', enum: ['asc', 'desc'], description: 'default `asc`' },
      ...pageQuery,
    },
  } as const;
}

/**
 * The list an API caller asked for (apiListQuerySchema), within their scope as on the pages.
 * Defaults keep the API's long-standing answers: every status, ascending order. Throws
 * UsageError naming a value the schema let through but the list cannot use (a period such as
 * `2026-Q5`).
 */
export function parseApiListQuery(
  kind: ListKind,
  raw: Readonly<Record<string, unknown>>,
  user: Principal,
): { query: ListQuery; page: Page } {
  const given: Record<string, string> = { status: 'all', dir: 'asc' };
  for (const field of LIST_FIELDS) if (raw[field] !== undefined) given[field] = String(raw[field]);
  const query = parseListQuery(kind, given, user);
  const bad = query.problems[0];
  if (bad) throw new UsageError({ zh: `${bad.field}：无效的值 "${bad.value}"`, en: `${bad.field}: invalid value "${bad.value}"` });
  return { query, page: { limit: Number(raw.limit ?? pageQuery.limit.default), offset: Number(raw.offset ?? 0) } };
}

export function pageOf(q: ListQuery): Page {
  return { limit: q.size, offset: (q.page - 1) * q.size };
}
