/**
 * Chinese labels shown on pages, beside the product catalogue's (src/domain/catalog.ts), their
 * English counterparts for the language toggle (labelsFor), and small formatting helpers.
 * Dates and times are shown in Beijing time (src/domain/beijing-time.ts).
 */
import { ROLES } from '../../accounts/roles.js';
import {
  ALERT_SEVERITIES,
  CATEGORIES,
  CATEGORIES_EN,
  CAUSES,
  HAZARD_TYPES,
  HAZARD_TYPES_EN,
  INDUSTRIES,
  INDUSTRIES_EN,
  TASK_OUTCOMES,
} from '../../domain/catalog.js';
import { formatAmount } from '../../domain/number-format.js';
import { FACT_LABELS, FACT_LABELS_EN, HOUSEHOLD_FIELDS, HOUSEHOLD_FIELDS_EN } from '../../rules/fact-text.js';
import { beijingClock, beijingDateTime } from '../../domain/beijing-time.js';
import {
  ALERT_STATUS_NAMES,
  AUDIT_ACTION_NAMES,
  CAUSE_NAMES,
  CYCLE_STATUS_NAMES,
  OUTCOME_NAMES,
  SEVERITY_NAMES,
  TASK_STATUS_NAMES,
} from '../../domain/case-names.js';
import type { Lang } from './i18n.js';

export const TASK_STATUSES = TASK_STATUS_NAMES.zh;
export const ALERT_STATUSES = ALERT_STATUS_NAMES.zh;

export const CYCLE_STATUSES = CYCLE_STATUS_NAMES.zh;

export { FACT_LABELS, formatFactValue } from '../../rules/fact-text.js';

export function label(table: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return table[code] ?? code;
}

export const causeName = (code: string) => label(CAUSES, code);
export const severityName = (code: string | null) => label(ALERT_SEVERITIES, code);

/** `YYYY-MM-DD HH:mm:ss` in Beijing time; empty for no time. */
export function formatDateTime(at: Date | null | undefined): string {
  return at ? beijingDateTime(at) : '';
}

/** `HH:mm` in Beijing time. */
export const formatTime = beijingClock;

/** Yuan with thousands separators and two decimals (src/domain/number-format.ts). */
export function formatYuan(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return formatAmount(value);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms} 毫秒`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} 秒`;
  return `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
}

/** A fact value for display: numbers rounded, objects as `key: value` pairs. */
export function formatFact(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${label(HAZARD_TYPES, k)}: ${formatFact(v)}`)
      .join('，');
  }
  return String(value);
}

// English names for the language toggle (the product's terms in English).

const ROLES_EN: Record<string, string> = {
  county_officer: 'County officer',
  city_monitor: 'City monitor',
  rule_author: 'Rule author',
  admin: 'Administrator',
};

/** Code → name in the page's language; unknown codes are shown as they are. */
export interface PageLabels {
  taskStatus(code: string | null | undefined): string;
  alertStatus(code: string | null | undefined): string;
  auditAction(code: string): string;
  cause(code: string): string;
  severity(code: string | null): string;
  outcome(code: string | null): string;
  category(code: string): string;
  industry(code: string): string;
  hazardType(code: string): string;
  role(code: string): string;
  fact(name: string): string;
  householdField(name: string): string;
  /** Code → name tables, for select options. */
  tables: {
    taskStatuses: Record<string, string>;
    alertStatuses: Record<string, string>;
    severities: Record<string, string>;
    causes: Record<string, string>;
    outcomes: Record<string, string>;
  };
}

function labelSet(
  t: Record<
    keyof PageLabels['tables'] | 'auditActions' | 'categories' | 'industries' | 'hazardTypes' | 'roles' | 'facts' | 'householdFields',
    Record<string, string>
  >,
): PageLabels {
  return {
    taskStatus: (c) => label(t.taskStatuses, c),
    alertStatus: (c) => label(t.alertStatuses, c),
    auditAction: (c) => label(t.auditActions, c),
    cause: (c) => label(t.causes, c),
    severity: (c) => label(t.severities, c),
    outcome: (c) => label(t.outcomes, c),
    category: (c) => label(t.categories, c),
    industry: (c) => label(t.industries, c),
    hazardType: (c) => label(t.hazardTypes, c),
    role: (c) => label(t.roles, c),
    fact: (n) => label(t.facts, n),
    householdField: (n) => label(t.householdFields, n),
    tables: {
      taskStatuses: t.taskStatuses,
      alertStatuses: t.alertStatuses,
      severities: t.severities,
      causes: t.causes,
      outcomes: t.outcomes,
    },
  };
}

const ZH = labelSet({
  taskStatuses: TASK_STATUSES,
  alertStatuses: ALERT_STATUSES,
  auditActions: AUDIT_ACTION_NAMES.zh,
  causes: CAUSES,
  severities: ALERT_SEVERITIES,
  outcomes: TASK_OUTCOMES,
  categories: CATEGORIES,
  industries: INDUSTRIES,
  hazardTypes: HAZARD_TYPES,
  roles: ROLES,
  facts: FACT_LABELS,
  householdFields: HOUSEHOLD_FIELDS,
});

const EN = labelSet({
  taskStatuses: TASK_STATUS_NAMES.en,
  alertStatuses: ALERT_STATUS_NAMES.en,
  auditActions: AUDIT_ACTION_NAMES.en,
  causes: CAUSE_NAMES.en,
  severities: SEVERITY_NAMES.en,
  outcomes: OUTCOME_NAMES.en,
  categories: CATEGORIES_EN,
  industries: INDUSTRIES_EN,
  hazardTypes: HAZARD_TYPES_EN,
  roles: ROLES_EN,
  facts: FACT_LABELS_EN,
  householdFields: HOUSEHOLD_FIELDS_EN,
});

/** The labels of a page language (Chinese by default). */
export function labelsFor(lang: Lang | undefined): PageLabels {
  return lang === 'en' ? EN : ZH;
}
