/**
 * Names of the monitoring mechanism's codes (issue 12) as the household page, the household
 * search and `households show|list` print them, in Chinese and English: monitoring statuses,
 * the national list of risk causes, lead channels, assistance measure types, task kinds and the
 * kinds of timeline entries. The codes are those of migration 0011's checks. Pure.
 */
type Names = Readonly<Record<string, string>>;

export const MONITORING_STATUS_NAMES: { zh: Names; en: Names } = {
  zh: { none: '未纳入监测', monitored: '监测对象', risk_eliminated: '风险已消除' },
  en: { none: 'Not monitored', monitored: 'Monitoring object', risk_eliminated: 'Risk eliminated' },
};

/** The monitoring statuses, in the order of the mechanism. */
export const MONITORING_STATUSES = ['none', 'monitored', 'risk_eliminated'] as const;

export const RISK_CAUSE_NAMES: { zh: Names; en: Names } = {
  zh: {
    illness: '因病',
    disability: '因残',
    education: '因学',
    disaster: '因灾',
    accident: '因意外事故',
    industry_failure: '因产业项目失败',
    unstable_employment: '务工就业不稳',
    labour_shortage: '缺劳动力',
    housing: '住房安全',
    drinking_water: '饮水安全',
    other: '其他',
  },
  en: {
    illness: 'Illness',
    disability: 'Disability',
    education: 'Education costs',
    disaster: 'Disaster',
    accident: 'Accident',
    industry_failure: 'Failed industry project',
    unstable_employment: 'Unstable employment',
    labour_shortage: 'Labour shortage',
    housing: 'Housing safety',
    drinking_water: 'Drinking water safety',
    other: 'Other',
  },
};

export const LEAD_CHANNEL_NAMES: { zh: Names; en: Names } = {
  zh: { self_report: '农户自主申报', cadre_visit: '基层干部排查', department: '部门筛查预警', rule: '监测预警' },
  en: { self_report: 'Self-report', cadre_visit: 'Cadre visit', department: 'Department screening', rule: 'Monitoring rule' },
};

export const MEASURE_TYPE_NAMES: { zh: Names; en: Names } = {
  zh: {
    industry: '产业帮扶',
    employment: '就业帮扶',
    technical: '技术帮扶',
    microcredit: '小额信贷',
    consumption: '消费帮扶',
    insurance_claim: '产业保险理赔',
    public_welfare_job: '公益岗位',
    social_security: '综合保障',
    other: '其他',
  },
  en: {
    industry: 'Industry support',
    employment: 'Employment support',
    technical: 'Technical support',
    microcredit: 'Microcredit',
    consumption: 'Consumption support',
    insurance_claim: 'Industry insurance claim',
    public_welfare_job: 'Public welfare job',
    social_security: 'Social security',
    other: 'Other',
  },
};

export const TASK_KIND_NAMES: { zh: Names; en: Names } = {
  zh: { check: '核实任务', review: '风险消除审核' },
  en: { check: 'Follow-up check', review: 'Risk-elimination review' },
};

export const TIMELINE_KIND_NAMES: { zh: Names; en: Names } = {
  zh: { lead: '线索', alert: '预警', task: '任务', measure: '帮扶措施', status: '监测状态', signal: '部门信号', import: '数据导入' },
  en: { lead: 'Lead', alert: 'Alert', task: 'Task', measure: 'Measure', status: 'Status', signal: 'Signal', import: 'Data import' },
};
