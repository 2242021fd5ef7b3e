/**
 * Reference data of the synthetic Langfang data set: townships per county, how households are
 * spread over counties, categories and industries, seasonality and cost ratios of industry
 * income, and the commodities with monthly prices. Plausible, not official statistics.
 */
import type { Category, Industry } from '../domain/catalog.js';

/** A county of the generated data: code, name, share of households, a few townships. */
export interface CountyProfile {
  readonly code: string;
  readonly name: string;
  /** Relative share of the generated households. */
  readonly weight: number;
  readonly townships: readonly string[];
  /** Multipliers on {@link INDUSTRY_WEIGHTS} for this county's typical industries. */
  readonly industryBias: Partial<Record<Industry, number>>;
}

/** Langfang's ten county-level units (codes and names as in LANGFANG_COUNTIES), with real township names. */
export const COUNTY_PROFILES: readonly CountyProfile[] = [
  {
    code: '131002',
    name: '安次区',
    weight: 8,
    townships: ['码头镇', '葛渔城镇', '东沽港镇', '调河头乡'],
    industryBias: { vegetables: 1.5, rural_tourism: 1.5 },
  },
  {
    code: '131003',
    name: '广阳区',
    weight: 3,
    townships: ['万庄镇', '九州镇', '北旺乡'],
    industryBias: { vegetables: 1.6, courtyard: 1.5, rural_tourism: 2 },
  },
  {
    code: '131022',
    name: '固安县',
    weight: 9,
    townships: ['宫村镇', '柳泉镇', '牛驼镇', '渠沟乡'],
    industryBias: { vegetables: 2, fruit: 1.3 },
  },
  {
    code: '131023',
    name: '永清县',
    weight: 13,
    townships: ['韩村镇', '后奕镇', '别古庄镇', '里澜城镇', '刘街乡'],
    industryBias: { vegetables: 2.2, hogs: 1.3 },
  },
  {
    code: '131024',
    name: '香河县',
    weight: 7,
    townships: ['渠口镇', '安头屯镇', '刘宋镇', '钱旺乡'],
    industryBias: { prepared_food: 2.5, processing: 1.5 },
  },
  {
    code: '131025',
    name: '大城县',
    weight: 18,
    townships: ['旺村镇', '南赵扶镇', '留各庄镇', '权村镇', '臧屯乡'],
    industryBias: { grain_oil: 1.4, layers: 1.8, hogs: 1.3 },
  },
  {
    code: '131026',
    name: '文安县',
    weight: 16,
    townships: ['新镇镇', '苏桥镇', '大柳河镇', '滩里镇', '德归镇'],
    industryBias: { aquaculture: 3, grain_oil: 1.3 },
  },
  {
    code: '131028',
    name: '大厂回族自治县',
    weight: 5,
    townships: ['夏垫镇', '祁各庄镇', '邵府镇', '陈府镇'],
    industryBias: { beef_cattle: 5, sheep: 4, hogs: 0.1 },
  },
  {
    code: '131081',
    name: '霸州市',
    weight: 11,
    townships: ['南孟镇', '信安镇', '堂二里镇', '康仙庄镇', '东杨庄乡'],
    industryBias: { fruit: 1.5, processing: 1.8, aquaculture: 1.5 },
  },
  {
    code: '131082',
    name: '三河市',
    weight: 10,
    townships: ['杨庄镇', '黄土庄镇', '段甲岭镇', '齐心庄镇'],
    industryBias: { dairy: 3, fruit: 1.5, rural_tourism: 1.5 },
  },
];

/** The county office's notification address(es); 大城县 has two, separated by `;`. */
export function countyEmails(code: string): string {
  const main = `nyj-${code}@langfang.example`;
  return code === '131025' ? `${main};fupin-${code}@langfang.example` : main;
}

/** Where overdue tasks escalate: the city monitoring staff. */
export const ESCALATION_EMAIL = 'jiance@langfang.example';

/** Household categories, mostly 脱贫户 (≈80 %). */
export const CATEGORY_WEIGHTS: ReadonlyArray<readonly [Category, number]> = [
  ['poverty_alleviated', 80],
  ['unstable', 8],
  ['marginal', 9],
  ['sudden_hardship', 3],
];

/** Share of each category whose per-capita net income is set below the monitoring line. */
export const LOW_INCOME_SHARE: Readonly<Record<Category, number>> = {
  poverty_alleviated: 0.018,
  unstable: 0.065,
  marginal: 0.06,
  sudden_hardship: 0.13,
};

/** Household sizes 1–6, mean ≈ 3.1. */
export const MEMBER_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [1, 10],
  [2, 25],
  [3, 26],
  [4, 22],
  [5, 11],
  [6, 6],
];

/** City-wide weights of the main industries before the county bias. */
export const INDUSTRY_WEIGHTS: Readonly<Record<Industry, number>> = {
  grain_oil: 24,
  vegetables: 14,
  fruit: 8,
  hogs: 8,
  dairy: 3,
  layers: 5,
  beef_cattle: 3,
  sheep: 3,
  poultry: 3,
  aquaculture: 3,
  processing: 4,
  prepared_food: 2,
  rural_tourism: 4,
  courtyard: 9,
  other: 7,
};

/** Quarterly seasonality of industry income (Q1…Q4, mean 1): wheat in June, maize in autumn, fruit in Q3/Q4. */
export const SEASONALITY: Readonly<Record<Industry, readonly [number, number, number, number]>> = {
  grain_oil: [0.35, 1.45, 0.5, 1.7],
  vegetables: [0.85, 1.15, 1.1, 0.9],
  fruit: [0.3, 0.55, 1.75, 1.4],
  hogs: [1.15, 0.85, 0.9, 1.1],
  dairy: [0.95, 1.05, 1.0, 1.0],
  layers: [1.05, 0.9, 1.0, 1.05],
  beef_cattle: [1.2, 0.8, 0.85, 1.15],
  sheep: [1.25, 0.75, 0.8, 1.2],
  poultry: [1.0, 0.95, 1.0, 1.05],
  aquaculture: [0.3, 0.8, 1.5, 1.4],
  processing: [1.1, 0.85, 0.95, 1.1],
  prepared_food: [1.3, 0.8, 0.85, 1.05],
  rural_tourism: [0.45, 1.25, 1.55, 0.75],
  courtyard: [0.6, 1.2, 1.3, 0.9],
  other: [1.0, 1.0, 1.0, 1.0],
};

/** Production cost as a share of gross industry income. */
export const COST_RATIO: Readonly<Record<Industry, number>> = {
  grain_oil: 0.45,
  vegetables: 0.4,
  fruit: 0.35,
  hogs: 0.6,
  dairy: 0.55,
  layers: 0.6,
  beef_cattle: 0.55,
  sheep: 0.5,
  poultry: 0.6,
  aquaculture: 0.5,
  processing: 0.55,
  prepared_food: 0.55,
  rural_tourism: 0.35,
  courtyard: 0.2,
  other: 0.3,
};

/** A commodity with a monthly market price: base price and its seasonal swing (amplitude, peak month). */
export interface CommodityProfile {
  readonly industry: Industry;
  /** What is priced, for the unit text (e.g. 生猪 priced live weight). */
  readonly unit: string;
  readonly basePrice: number;
  readonly amplitude: number;
  readonly peakMonth: number;
}

/** Industries with a monthly price (the others have none). */
export const COMMODITIES: readonly CommodityProfile[] = [
  { industry: 'grain_oil', unit: '元/公斤', basePrice: 2.45, amplitude: 0.03, peakMonth: 5 },
  { industry: 'vegetables', unit: '元/公斤', basePrice: 4.6, amplitude: 0.22, peakMonth: 1 },
  { industry: 'fruit', unit: '元/公斤', basePrice: 6.2, amplitude: 0.15, peakMonth: 5 },
  { industry: 'hogs', unit: '元/公斤', basePrice: 16.8, amplitude: 0.06, peakMonth: 12 },
  { industry: 'dairy', unit: '元/公斤', basePrice: 3.7, amplitude: 0.03, peakMonth: 10 },
  { industry: 'layers', unit: '元/公斤', basePrice: 9.6, amplitude: 0.1, peakMonth: 9 },
  { industry: 'beef_cattle', unit: '元/公斤', basePrice: 29.5, amplitude: 0.04, peakMonth: 1 },
  { industry: 'sheep', unit: '元/公斤', basePrice: 27.0, amplitude: 0.06, peakMonth: 12 },
  { industry: 'poultry', unit: '元/公斤', basePrice: 8.1, amplitude: 0.05, peakMonth: 1 },
  { industry: 'aquaculture', unit: '元/公斤', basePrice: 12.4, amplitude: 0.08, peakMonth: 2 },
];

/** Common surnames in Hebei, roughly by frequency. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 10],
  ['李', 10],
  ['张', 9],
  ['刘', 8],
  ['赵', 5],
  ['杨', 4],
  ['陈', 3],
  ['高', 3],
  ['孙', 3],
  ['马', 3],
  ['郭', 2],
  ['田', 2],
  ['周', 2],
  ['吴', 2],
  ['徐', 2],
  ['朱', 2],
  ['韩', 2],
  ['何', 1],
  ['郑', 1],
  ['冯', 1],
  ['董', 1],
  ['曹', 1],
  ['宋', 1],
  ['邢', 1],
  ['白', 1],
  ['崔', 1],
  ['侯', 1],
  ['苏', 1],
  ['贾', 1],
  ['尹', 1],
];

/** Characters of given names (the combinations are random: the names are synthetic). */
export const GIVEN_NAME_CHARS = [...'国建志文秀玉春明海金兰凤英华军平德永庆俊红霞丽芳桂荣福贵宝山林树成刚强勇立新云秋月珍淑振利广'];

/** Village name parts: villages are named like 东王各庄村, 小李庄村, 后刘屯村. */
export const VILLAGE_PREFIXES = ['东', '西', '南', '北', '前', '后', '大', '小', '高', '新', ''];
export const VILLAGE_SUFFIXES = ['庄村', '各庄村', '屯村', '营村', '务村', '家坞村', '辛庄村', '口村', '堤村', '窑村'];
