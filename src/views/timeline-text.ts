/**
 * A household's timeline entries and status changes in words, for the household page and
 * `households show`: one line per entry, in Chinese (the product's language) or English. The
 * codes stay in the entries (`--json`, the API). Pure.
 */
import {
  ALERT_STATUS_NAMES,
  AUDIT_ACTION_NAMES,
  CAUSE_NAMES,
  LEAD_CHANNEL_NAMES,
  MEASURE_TYPE_NAMES,
  MONITORING_CATEGORY_NAMES,
  MONITORING_STATUS_NAMES,
  nameOf,
  namesOf,
  RISK_CAUSE_NAMES,
  SEVERITY_NAMES,
  TASK_KIND_NAMES,
  TASK_STATUS_NAMES,
  TIMELINE_KIND_NAMES,
} from '../domain/case-names.js';
import { SIGNAL_KINDS, SIGNAL_KINDS_EN } from '../domain/catalog.js';
import { formatAmount } from '../domain/number-format.js';
import type { StatusChange, TimelineEntry } from './household.repository.js';

export type TextLang = 'zh' | 'en';

const SIGNAL_KIND_NAMES = { zh: SIGNAL_KINDS, en: SIGNAL_KINDS_EN };

const str = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(str) : []);

/** Risk causes by name, joined (`因病、因灾`). */
export function riskCausesText(causes: readonly string[], lang: TextLang = 'zh'): string {
  return namesOf(RISK_CAUSE_NAMES, causes, lang);
}

/** A monitoring status with its category, causes and date: `监测对象（脱贫不稳定户；因病），自 2026-01-10`. */
export function statusText(s: Pick<StatusChange, 'status' | 'category' | 'causes' | 'since'>, lang: TextLang = 'zh'): string {
  return `${nameOf(MONITORING_STATUS_NAMES, s.status, lang)}${statusDetail(s, lang)}`;
}

/** What follows the status's name in statusText: `（脱贫不稳定户；因病），自 2026-01-10`. */
export function statusDetail(s: Pick<StatusChange, 'category' | 'causes' | 'since'>, lang: TextLang = 'zh'): string {
  const en = lang === 'en';
  const parts = [s.category ? nameOf(MONITORING_CATEGORY_NAMES, s.category, lang) : '', riskCausesText(s.causes, lang)].filter(Boolean);
  const what = parts.length ? (en ? ` (${parts.join('; ')})` : `（${parts.join('；')}）`) : '';
  return `${what}${en ? `, since ${s.since}` : `，自 ${s.since}`}`;
}

/** The kind of an entry by name (线索, 预警, 任务, …). */
export function timelineKindName(entry: Pick<TimelineEntry, 'kind'>, lang: TextLang = 'zh'): string {
  return nameOf(TIMELINE_KIND_NAMES, entry.kind, lang);
}

/** `from → to` of a status change in a trail, by name; empty when neither is set. */
function transition(table: typeof TASK_STATUS_NAMES, from: unknown, to: unknown, lang: TextLang): string {
  if (!from && !to) return '';
  return ` ${nameOf(table, str(from), lang) || '—'} → ${nameOf(table, str(to), lang) || '—'}`;
}

const yuan = (amount: unknown, lang: TextLang) =>
  typeof amount === 'number' ? ` ${formatAmount(amount)}${lang === 'en' ? ' yuan' : ' 元'}` : '';

/** What an entry says, in one line (its note and actor are shown beside it). */
export function timelineText(entry: TimelineEntry, lang: TextLang = 'zh'): string {
  const en = lang === 'en';
  const d = entry.details;
  const [open, close, sep] = en ? [' (', ')', ', '] : ['（', '）', '，'];
  switch (entry.kind) {
    case 'lead': {
      const reporter = d.reporter ? `${sep}${en ? 'by ' : '上报人 '}${str(d.reporter)}` : '';
      return `${nameOf(LEAD_CHANNEL_NAMES, str(d.channel), lang)}${en ? ': ' : '：'}${riskCausesText(list(d.causes), lang)}${sep}${en ? 'reported ' : '发现日期 '}${str(d.reportedOn)}${reporter}`;
    }
    case 'alert': {
      const rule = `${str(d.ruleId)}${open}${str(d.period)}${close}`;
      if (entry.action === 'created')
        return `${en ? 'Alert' : '预警'} ${rule} ${nameOf(SEVERITY_NAMES, str(d.severity), lang)}${sep}${nameOf(CAUSE_NAMES, str(d.cause), lang)}`;
      return `${en ? 'Alert' : '预警'} ${rule} ${nameOf(AUDIT_ACTION_NAMES, entry.action, lang)}${transition(ALERT_STATUS_NAMES, d.fromStatus, d.toStatus, lang)}`;
    }
    case 'task':
      return `${nameOf(TASK_KIND_NAMES, str(d.taskKind), lang)} #${entry.taskId ?? ''}${open}${str(d.period)}${close} ${nameOf(AUDIT_ACTION_NAMES, entry.action, lang)}${transition(TASK_STATUS_NAMES, d.fromStatus, d.toStatus, lang)}`;
    case 'measure': {
      const provider = d.provider ? `${sep}${str(d.provider)}` : '';
      return `${nameOf(MEASURE_TYPE_NAMES, str(d.type), lang)}${yuan(d.amount, lang)}${sep}${str(d.date)}${provider}`;
    }
    case 'status':
      return statusText(
        { status: str(d.status), category: d.category ? str(d.category) : null, causes: list(d.causes), since: str(d.since) },
        lang,
      );
    case 'signal': {
      const source = d.source ? `${open}${str(d.source)}${close}` : '';
      const updated = entry.action === 'updated' ? (en ? ' — corrected' : '（更正）') : '';
      return `${nameOf(SIGNAL_KIND_NAMES, str(d.signalKind), lang)}${yuan(d.amount, lang)}${sep}${str(d.date)}${source}${updated}`;
    }
    case 'import': {
      const created = entry.action === 'created';
      if (d.table === 'households')
        return en ? (created ? 'Register row imported' : 'Register row updated') : created ? '户信息导入' : '户信息更新';
      const periods = list(d.periods).join(en ? ', ' : '、');
      return en ? `Income ${created ? 'imported' : 'updated'}: ${periods}` : `收入数据${created ? '导入' : '更新'}：${periods}`;
    }
  }
}
