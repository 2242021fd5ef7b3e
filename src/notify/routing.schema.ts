/**
 * What `rules/routing.json` may contain (JSON Schema, checked with ajv), its TypeScript shape
 * and the defaults that apply when the file is absent. Pure data.
 *
 * Recipients (`to`) are tokens or addresses:
 * - `"county"`: the county's `email` addresses (counties table);
 * - `"escalation"`: the county's `escalation_email` addresses; for the city summary, the
 *   `escalation_email` addresses of every county;
 * - anything else: an e-mail address, e.g. `"jiance@lf.gov.cn"`.
 */
import { ALERT_SEVERITIES, CAUSES, type AlertSeverity, type Cause } from '../domain/catalog.js';

export type RecipientSpec = 'county' | 'escalation' | (string & {});

/** Which alerts a route applies to. Every field is optional; fields AND, values within a field OR. */
export interface RouteMatch {
  county?: string[];
  severity?: AlertSeverity[];
  cause?: Cause[];
  rule?: string[];
}

export interface Route {
  /** Shown in logs and errors. */
  name: string;
  /** Default true; a route kept in the file as an example can be switched off. */
  enabled: boolean;
  match: RouteMatch;
  /** `digest`: the recipients get the county digest with the matching alerts; `immediate`: one e-mail per alert at once. */
  mode: 'digest' | 'immediate';
  to: RecipientSpec[];
}

export interface RoutingPolicy {
  /** Absolute path of the file the policy came from; null for the built-in defaults. */
  file: string | null;
  /** One digest per county and cycle with all the cycle's new alerts of the county. */
  countyDigest: { enabled: boolean; to: RecipientSpec[] };
  /** One city-wide summary per cycle. */
  citySummary: { enabled: boolean; to: RecipientSpec[] };
  /** Once per task, `daysBefore` calendar days (Asia/Shanghai) before the due date or later. */
  reminders: { enabled: boolean; daysBefore: number; to: RecipientSpec[] };
  /** When a task is overdue, then again every `everyDays` days until it is closed. */
  escalation: { enabled: boolean; everyDays: number; to: RecipientSpec[] };
  /**
   * The monthly analysis report (REPORT_CRON): the city report to `city` (`escalation`: every
   * county's escalation addresses), each county's report to `county` (`county`: its addresses).
   */
  reports: { enabled: boolean; city: RecipientSpec[]; county: RecipientSpec[] };
  routes: Route[];
}

/** The built-in policy (the shipped `rules/routing.json` says the same). */
export const DEFAULT_ROUTING: Omit<RoutingPolicy, 'file'> = Object.freeze({
  countyDigest: { enabled: true, to: ['county'] },
  citySummary: { enabled: true, to: ['escalation'] },
  reminders: { enabled: true, daysBefore: 3, to: ['county'] },
  escalation: { enabled: true, everyDays: 3, to: ['escalation'] },
  reports: { enabled: true, city: ['escalation'], county: ['county'] },
  routes: [],
});

const EMAIL = '^[^\\s@<>,;]+@[^\\s@<>,;]+\\.[^\\s@<>,;]+$|^[^\\s@<>,;]+@localhost$';
const recipients = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { anyOf: [{ enum: ['county', 'escalation'] }, { type: 'string', pattern: EMAIL }] },
} as const;
const comment = { type: 'string' } as const;

/** JSON Schema (draft-07, ajv) of `routing.json`. */
export const ROUTING_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $comment: comment,
    countyDigest: {
      type: 'object',
      additionalProperties: false,
      properties: { $comment: comment, enabled: { type: 'boolean' }, to: recipients },
    },
    citySummary: {
      type: 'object',
      additionalProperties: false,
      properties: { $comment: comment, enabled: { type: 'boolean' }, to: recipients },
    },
    reminders: {
      type: 'object',
      additionalProperties: false,
      properties: {
        $comment: comment,
        enabled: { type: 'boolean' },
        daysBefore: { type: 'integer', minimum: 0, maximum: 60 },
        to: recipients,
      },
    },
    escalation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        $comment: comment,
        enabled: { type: 'boolean' },
        everyDays: { type: 'integer', minimum: 1, maximum: 90 },
        to: recipients,
      },
    },
    reports: {
      type: 'object',
      additionalProperties: false,
      properties: { $comment: comment, enabled: { type: 'boolean' }, city: recipients, county: recipients },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'mode', 'to'],
        properties: {
          $comment: comment,
          name: { type: 'string', minLength: 1 },
          enabled: { type: 'boolean' },
          mode: { enum: ['digest', 'immediate'] },
          to: recipients,
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              county: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9]{6}$' } },
              severity: { type: 'array', minItems: 1, items: { enum: Object.keys(ALERT_SEVERITIES) } },
              cause: { type: 'array', minItems: 1, items: { enum: Object.keys(CAUSES) } },
              rule: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } },
            },
          },
        },
      },
    },
  },
} as const;
