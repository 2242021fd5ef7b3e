/**
 * The product's enumerations with their Chinese names (README "Data formats").
 * Codes are the contract; Chinese names are accepted on import and shown to users.
 */
export const CATEGORIES = {
  poverty_alleviated: '脱贫户',
  unstable: '脱贫不稳定户',
  marginal: '边缘易致贫户',
  sudden_hardship: '突发严重困难户',
} as const;
export type Category = keyof typeof CATEGORIES;

/** English names (the language toggle of the pages, `--lang en` of the CLI). */
export const CATEGORIES_EN: Readonly<Record<Category, string>> = {
  poverty_alleviated: 'Lifted out of poverty',
  unstable: 'Lifted out of poverty, unstable',
  marginal: 'Marginal, prone to poverty',
  sudden_hardship: 'Sudden severe hardship',
};

export const INDUSTRIES = {
  grain_oil: '粮油',
  vegetables: '蔬菜',
  fruit: '果品',
  hogs: '生猪',
  dairy: '奶业',
  layers: '蛋鸡',
  beef_cattle: '肉牛',
  sheep: '肉羊',
  poultry: '肉禽',
  aquaculture: '水产',
  processing: '农产品加工',
  prepared_food: '预制菜',
  rural_tourism: '休闲农业与乡村旅游',
  courtyard: '庭院经济',
  other: '其他',
} as const;
export type Industry = keyof typeof INDUSTRIES;

export const INDUSTRIES_EN: Readonly<Record<Industry, string>> = {
  grain_oil: 'Grain and oilseeds',
  vegetables: 'Vegetables',
  fruit: 'Fruit',
  hogs: 'Hogs',
  dairy: 'Dairy',
  layers: 'Laying hens',
  beef_cattle: 'Beef cattle',
  sheep: 'Sheep',
  poultry: 'Poultry',
  aquaculture: 'Aquaculture',
  processing: 'Agro-processing',
  prepared_food: 'Prepared food',
  rural_tourism: 'Leisure agriculture and rural tourism',
  courtyard: 'Courtyard economy',
  other: 'Other',
};

export const HAZARD_TYPES = {
  natural_disaster: '自然灾害',
  animal_epidemic: '动物疫情',
  crop_pest: '病虫害',
  unsalable: '产品滞销',
  price_slump: '价格波动',
} as const;
export type HazardType = keyof typeof HAZARD_TYPES;

export const HAZARD_TYPES_EN: Readonly<Record<HazardType, string>> = {
  natural_disaster: 'Natural disaster',
  animal_epidemic: 'Animal epidemic',
  crop_pest: 'Crop pests',
  unsalable: 'Unsold produce',
  price_slump: 'Price slump',
};

/** Chinese spellings of hazard severities: 4 is the most severe (I级, 特别重大). */
export const SEVERITY_ALIASES: Readonly<Record<string, number>> = {
  IV级: 1,
  III级: 2,
  II级: 3,
  I级: 4,
  Ⅳ级: 1,
  Ⅲ级: 2,
  Ⅱ级: 3,
  Ⅰ级: 4,
  一般: 1,
  较大: 2,
  重大: 3,
  特别重大: 4,
};

export const ALERT_SEVERITIES = { info: '提示', warning: '预警', critical: '严重' } as const;
export type AlertSeverity = keyof typeof ALERT_SEVERITIES;

export const CAUSES = {
  industry_income_drop: '产业收入下降',
  low_income: '收入低于监测线',
  natural_disaster: '自然灾害',
  animal_epidemic: '动物疫情',
  crop_pest: '病虫害',
  unsalable: '产品滞销',
  price_slump: '价格波动',
  compound: '多重风险叠加',
  illness: '因病',
} as const;
export type Cause = keyof typeof CAUSES;

/**
 * Kinds of department signals (部门筛查预警 data: medical insurance, emergency management, human
 * resources, disabled persons' federation, civil affairs). Amounts are required for the first two.
 */
export const SIGNAL_KINDS = {
  medical_expense: '医疗自付费用',
  disaster_loss: '灾害损失',
  unemployment: '失业',
  disability: '残疾',
  minimum_living: '低保/特困',
  other: '其他',
} as const;
export type SignalKind = keyof typeof SIGNAL_KINDS;

export const SIGNAL_KINDS_EN: Readonly<Record<SignalKind, string>> = {
  medical_expense: 'Medical out-of-pocket expenses',
  disaster_loss: 'Disaster loss',
  unemployment: 'Unemployment',
  disability: 'Disability',
  minimum_living: 'Minimum living allowance / extreme poverty support',
  other: 'Other',
};

/**
 * Signal kinds whose rows must carry an amount: an expense or a loss without one says nothing. The
 * `signals` fact sums these kinds' amounts and counts the others' signals.
 */
export const SIGNAL_KINDS_WITH_AMOUNT: ReadonlySet<SignalKind> = new Set(['medical_expense', 'disaster_loss']);

export const TASK_OUTCOMES = {
  identified: '纳入监测对象',
  assisted: '已落实帮扶',
  risk_eliminated: '风险消除',
  not_at_risk: '核实无风险',
} as const;
export type TaskOutcome = keyof typeof TASK_OUTCOMES;

/** The outcomes a review task (风险消除审核) may close with; `assisted` reads 继续监测帮扶 there. */
export const REVIEW_OUTCOMES: readonly TaskOutcome[] = ['risk_eliminated', 'assisted'];

/** Kinds of follow-up task: a check of a risk (核实任务) or the review proposing risk elimination. */
export const TASK_KINDS = {
  check: '核实任务',
  review: '风险消除审核',
} as const;
export type TaskKind = keyof typeof TASK_KINDS;

/**
 * Risk causes of the national list (致贫返贫风险类型), as leads, identifications and monitoring
 * objects record them. Migration 0011 checks exactly these codes.
 */
export const RISK_CAUSES = {
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
} as const;
export type RiskCause = keyof typeof RISK_CAUSES;

export const RISK_CAUSES_EN: Readonly<Record<RiskCause, string>> = {
  illness: 'Illness',
  disability: 'Disability',
  education: 'Education costs',
  disaster: 'Disaster',
  accident: 'Accident',
  industry_failure: 'Failed industry project',
  unstable_employment: 'Unstable employment',
  labour_shortage: 'Lack of labour',
  housing: 'Housing safety',
  drinking_water: 'Drinking water safety',
  other: 'Other',
};

/** Channels through which a lead (线索) reaches the county; `rule` is the monitoring cycle's findings. */
export const LEAD_CHANNELS = {
  self_report: '农户自主申报',
  cadre_visit: '基层干部排查',
  department: '部门筛查预警',
  rule: '监测预警',
} as const;
export type LeadChannel = keyof typeof LEAD_CHANNELS;

export const LEAD_CHANNELS_EN: Readonly<Record<LeadChannel, string>> = {
  self_report: 'Self-reported by the household',
  cadre_visit: 'Found by village cadres',
  department: 'Department screening',
  rule: 'Monitoring rules',
};

/** The categories of monitoring objects (监测对象): the household categories a verified risk leads to. */
export const MONITORING_CATEGORIES = {
  unstable: CATEGORIES.unstable,
  marginal: CATEGORIES.marginal,
  sudden_hardship: CATEGORIES.sudden_hardship,
} as const;
export type MonitoringCategory = keyof typeof MONITORING_CATEGORIES;

/** A household's monitoring status: not monitored, monitoring object, risk eliminated. */
export const MONITORING_STATUSES = {
  none: '未纳入监测',
  monitored: '监测对象',
  risk_eliminated: '风险已消除',
} as const;
export type MonitoringStatus = keyof typeof MONITORING_STATUSES;
/** The monitoring statuses' codes, in the mechanism's order (filters, schemas). */
export const MONITORING_STATUS_CODES = Object.keys(MONITORING_STATUSES) as MonitoringStatus[];

/** Types of assistance measure (帮扶措施). */
export const MEASURE_TYPES = {
  industry: '产业帮扶',
  employment: '就业帮扶',
  technical: '技术帮扶',
  microcredit: '小额信贷',
  consumption: '消费帮扶',
  insurance_claim: '产业保险理赔',
  public_welfare_job: '公益岗位',
  social_security: '综合保障',
  other: '其他',
} as const;
export type MeasureType = keyof typeof MEASURE_TYPES;

export const MEASURE_TYPES_EN: Readonly<Record<MeasureType, string>> = {
  industry: 'Industry support',
  employment: 'Employment support',
  technical: 'Technical support',
  microcredit: 'Microcredit',
  consumption: 'Consumption support',
  insurance_claim: 'Agricultural insurance claim',
  public_welfare_job: 'Public welfare job',
  social_security: 'Social security',
  other: 'Other',
};

/** Langfang's ten county-level units (README), the first deployment. */
export const LANGFANG_COUNTIES = [
  { code: '131002', name: '安次区' },
  { code: '131003', name: '广阳区' },
  { code: '131022', name: '固安县' },
  { code: '131023', name: '永清县' },
  { code: '131024', name: '香河县' },
  { code: '131025', name: '大城县' },
  { code: '131026', name: '文安县' },
  { code: '131028', name: '大厂回族自治县' },
  { code: '131081', name: '霸州市' },
  { code: '131082', name: '三河市' },
] as const;

/**
 * Looks a value up in a code → Chinese-name table by code (case-insensitive) or Chinese name.
 * Returns the code, or `null` when the value is neither.
 */
export function lookupCode<T extends Record<string, string>>(table: T, raw: string): (keyof T & string) | null {
  const value = raw.trim();
  const lower = value.toLowerCase();
  for (const [code, name] of Object.entries(table)) {
    if (code === lower || name === value) return code as keyof T & string;
  }
  return null;
}

/**
 * A list of codes or Chinese names separated by `;` `；` `、` `,` `，` (blanks ignored), each
 * looked up in `table`. Returns the codes (each once, in the table's order) and the entries that
 * are neither a code nor a name.
 */
export function lookupCodes<T extends Record<string, string>>(
  table: T,
  raw: string,
): { codes: Array<keyof T & string>; unknown: string[] } {
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const part of raw.split(/[;；、,，]/)) {
    if (part.trim() === '') continue;
    const code = lookupCode(table, part);
    if (code) found.add(code);
    else unknown.push(part.trim());
  }
  return { codes: Object.keys(table).filter((c) => found.has(c)) as Array<keyof T & string>, unknown };
}
