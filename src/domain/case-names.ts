/**
 * The names users read for the workflow's codes — task and alert statuses, outcomes, audit
 * actions and actors — in Chinese (the product's language) and English (the pages' language
 * switch, the CLI's `--lang en`). One table each, used by the pages, the CLI and the e-mails;
 * the codes themselves (src/cases/statuses.ts, TASK_OUTCOMES) are the contract. Pure.
 */
import { ALERT_SEVERITIES, CAUSES, TASK_OUTCOMES } from './catalog.js';

type Names = Readonly<Record<string, string>>;

export const TASK_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { open: '待签收', acknowledged: '已签收', in_progress: '核实中', closed: '已办结' },
  en: { open: 'Open', acknowledged: 'Acknowledged', in_progress: 'Verifying', closed: 'Closed' },
};

export const ALERT_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { open: '未处理', acknowledged: '已签收', resolved: '已解除', dismissed: '已撤销' },
  en: { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', dismissed: 'Dismissed' },
};

export const OUTCOME_NAMES: { zh: Names; en: Names } = {
  zh: TASK_OUTCOMES,
  en: { assisted: 'Assistance provided', risk_eliminated: 'Risk eliminated', not_at_risk: 'Verified: not at risk' },
};

export const SEVERITY_NAMES: { zh: Names; en: Names } = {
  zh: ALERT_SEVERITIES,
  en: { info: 'Info', warning: 'Warning', critical: 'Critical' },
};

export const CAUSE_NAMES: { zh: Names; en: Names } = {
  zh: CAUSES,
  en: {
    industry_income_drop: 'Industry income drop',
    low_income: 'Income below the monitoring line',
    natural_disaster: 'Natural disaster',
    animal_epidemic: 'Animal epidemic',
    crop_pest: 'Crop pests',
    unsalable: 'Unsold produce',
    price_slump: 'Price slump',
    compound: 'Compound risk',
    illness: 'Illness (medical expenses)',
  },
};

export const AUDIT_ACTION_NAMES: { zh: Names; en: Names } = {
  zh: {
    create: '创建',
    created: '创建',
    ack: '签收',
    acknowledge: '签收',
    start: '开始核实',
    close: '办结',
    add_alerts: '新增预警',
    alerts_added: '新增预警',
    reopen: '重新打开',
    resolve: '解除',
    dismiss: '撤销',
    task_closed: '随任务办结解除',
    merge: '合并任务',
    cancel: '取消',
  },
  en: {
    create: 'Created',
    created: 'Created',
    ack: 'Acknowledged',
    acknowledge: 'Acknowledged',
    start: 'Verification started',
    close: 'Closed',
    add_alerts: 'Alerts added',
    alerts_added: 'Alerts added',
    reopen: 'Reopened',
    resolve: 'Resolved',
    dismiss: 'Dismissed',
    task_closed: 'Resolved with its task',
    merge: 'Tasks merged',
    cancel: 'Cancelled',
  },
};

/** A code's name in a table of the language; the code itself when unknown. */
export function nameOf(table: { zh: Names; en: Names }, code: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (code === null || code === undefined) return '';
  const names = table[lang];
  return Object.hasOwn(names, code) ? names[code]! : code;
}

/**
 * Who made a change, as people read it: accounts by their name; the system's own changes
 * (`system:cycle-3`, `system:migration-5`) and the command line's (`cli:ops`) in words:
 * "系统（第 3 次监测）", "系统（数据库迁移 5）", "命令行（ops）".
 */
export function actorName(actor: string, lang: 'zh' | 'en' = 'zh'): string {
  const en = lang === 'en';
  const cycle = /^system:cycle-(\d+)$/.exec(actor);
  if (cycle) return en ? `System (cycle ${cycle[1]})` : `系统（第 ${cycle[1]} 次监测）`;
  const migration = /^system:migration-(.+)$/.exec(actor);
  if (migration) return en ? `System (migration ${migration[1]})` : `系统（数据库迁移 ${migration[1]}）`;
  if (actor === 'system') return en ? 'System' : '系统';
  const cli = /^cli:(.+)$/.exec(actor);
  if (cli) return en ? `Command line (${cli[1]})` : `命令行（${cli[1]}）`;
  return actor;
}
