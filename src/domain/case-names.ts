/**
 * The names users read for the workflow's codes — task and alert statuses, outcomes, audit
 * actions and actors — in Chinese (the product's language) and English (the pages' language
 * switch, the CLI's `--lang en`). One table each, used by the pages, the CLI and the e-mails;
 * the codes themselves (src/cases/statuses.ts, TASK_OUTCOMES) are the contract. Pure.
 */
import {
  ALERT_SEVERITIES,
  CAUSES,
  LEAD_CHANNELS,
  LEAD_CHANNELS_EN,
  MEASURE_TYPES,
  MEASURE_TYPES_EN,
  MONITORING_CATEGORIES,
  MONITORING_STATUSES,
  RISK_CAUSES,
  RISK_CAUSES_EN,
  TASK_KINDS,
  TASK_OUTCOMES,
} from './catalog.js';

type Names = Readonly<Record<string, string>>;

export const TASK_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { open: '待签收', acknowledged: '已签收', in_progress: '核实中', closed: '已办结' },
  en: { open: 'Open', acknowledged: 'Acknowledged', in_progress: 'Verifying', closed: 'Closed' },
};

export const CYCLE_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { queued: '排队中', running: '运行中', completed: '已完成', failed: '失败', cancelled: '已取消' },
  en: { queued: 'Queued', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' },
};

/** How a cycle was started. */
export const CYCLE_TRIGGER_NAMES: { zh: Names; en: Names } = {
  zh: { cli: '命令行', schedule: '定时', demo: '演示' },
  en: { cli: 'command line', schedule: 'schedule', demo: 'demo' },
};

export const ALERT_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { open: '未处理', acknowledged: '已签收', resolved: '已解除', dismissed: '已撤销' },
  en: { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', dismissed: 'Dismissed' },
};

export const OUTCOME_NAMES: { zh: Names; en: Names } = {
  zh: TASK_OUTCOMES,
  en: {
    identified: 'Identified as a monitoring object',
    assisted: 'Assistance provided',
    risk_eliminated: 'Risk eliminated',
    not_at_risk: 'Verified: not at risk',
  },
};

/** On a review task (风险消除审核), `assisted` means the household stays monitored and keeps its help. */
const REVIEW_OUTCOME_NAMES: { zh: Names; en: Names } = {
  zh: { ...TASK_OUTCOMES, assisted: '继续监测帮扶' },
  en: { ...OUTCOME_NAMES.en, assisted: 'Keep monitoring and assisting' },
};

/** The name of a task's outcome: on review tasks `assisted` reads 继续监测帮扶. */
export function outcomeName(code: string | null | undefined, kind: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  return nameOf(kind === 'review' ? REVIEW_OUTCOME_NAMES : OUTCOME_NAMES, code, lang);
}

export const TASK_KIND_NAMES: { zh: Names; en: Names } = {
  zh: TASK_KINDS,
  en: { check: 'Follow-up task', review: 'Risk elimination review' },
};

export const RISK_CAUSE_NAMES: { zh: Names; en: Names } = { zh: RISK_CAUSES, en: RISK_CAUSES_EN };

export const LEAD_CHANNEL_NAMES: { zh: Names; en: Names } = { zh: LEAD_CHANNELS, en: LEAD_CHANNELS_EN };

export const MEASURE_TYPE_NAMES: { zh: Names; en: Names } = { zh: MEASURE_TYPES, en: MEASURE_TYPES_EN };

export const MONITORING_CATEGORY_NAMES: { zh: Names; en: Names } = {
  zh: MONITORING_CATEGORIES,
  en: { unstable: 'Lifted out of poverty, unstable', marginal: 'Marginal, prone to poverty', sudden_hardship: 'Sudden severe hardship' },
};

export const MONITORING_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: MONITORING_STATUSES,
  en: { none: 'Not monitored', monitored: 'Monitoring object', risk_eliminated: 'Risk eliminated' },
};

/** The kinds of entries of a household's timeline (src/views/household.repository.ts). */
export const TIMELINE_KIND_NAMES: { zh: Names; en: Names } = {
  zh: { lead: '线索', alert: '预警', task: '任务', measure: '帮扶措施', status: '监测状态', signal: '部门信号', import: '数据导入' },
  en: { lead: 'Lead', alert: 'Alert', task: 'Task', measure: 'Measure', status: 'Status', signal: 'Signal', import: 'Data import' },
};

/** Codes in the language's names, joined as people read lists (`因病、因灾`). */
export function namesOf(table: { zh: Names; en: Names }, codes: readonly string[] | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  return (codes ?? []).map((c) => nameOf(table, c, lang)).join(lang === 'en' ? ', ' : '、');
}

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
    lead_created: '线索开启任务',
    lead_added: '新增线索',
    kind_changed: '转为核实任务',
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
    lead_created: 'Opened by a lead',
    lead_added: 'Lead added',
    kind_changed: 'Turned into a check',
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
 * (`system:cycle-3`, `system:migration-5`), the command line's (`cli:ops`) and imports'
 * (`import:线索.csv`) in words: "系统（第 3 次监测）", "系统（数据库迁移 5）", "命令行（ops）",
 * "导入（线索.csv）".
 */
export function actorName(actor: string, lang: 'zh' | 'en' = 'zh'): string {
  const en = lang === 'en';
  const cycle = /^system:cycle-(\d+)$/.exec(actor);
  if (cycle) return en ? `System (cycle ${cycle[1]})` : `系统（第 ${cycle[1]} 次监测）`;
  const migration = /^system:migration-(.+)$/.exec(actor);
  if (migration) return en ? `System (migration ${migration[1]})` : `系统（数据库迁移 ${migration[1]}）`;
  if (actor === 'system') return en ? 'System' : '系统';
  const imported = /^import:(.+)$/.exec(actor);
  if (imported) return en ? `Import (${imported[1]})` : `导入（${imported[1]}）`;
  const cli = /^cli:(.+)$/.exec(actor);
  if (cli) return en ? `Command line (${cli[1]})` : `命令行（${cli[1]}）`;
  return actor;
}
