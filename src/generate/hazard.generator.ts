/**
 * Synthetic hazard events (风险事件) for the generated periods, and the exposure index that lets
 * the income model make households hit by an event lose more income.
 *
 * Every data set has a handful of events touching the latest quarter (a township flood that has
 * ended, an ongoing swine-fever outbreak, a maize pest, unsold vegetables, price slumps) and
 * 12–20 earlier events that ended before the latest quarter. All five types appear; severities
 * are 1–4, a few written as `II级` or `较大`.
 */
import { HAZARD_TYPES, type HazardType, type Industry } from '../domain/catalog.js';
import type { Period } from '../domain/period.js';
import type { CountyProfile } from './langfang.data.js';
import { type SeededRandom } from './seeded-random.js';

/** One generated event, before it is written as a row. */
export interface HazardEvent {
  id: string;
  type: HazardType;
  countyCode: string;
  /** `null`: the whole county. */
  township: string | null;
  /** Empty: every industry. */
  industries: Industry[];
  severity: 1 | 2 | 3 | 4;
  /** How the severity is written in the file: `3`, `II级`, `较大` … */
  severityText: string;
  /** How the type is written in the file: the code or its Chinese name. */
  typeText: string;
  start: string;
  /** `null`: ongoing. */
  end: string | null;
  name: string;
}

interface Template {
  type: HazardType;
  name: string;
  industries: Industry[];
}

const TEMPLATES: readonly Template[] = [
  { type: 'natural_disaster', name: '暴雨洪涝', industries: [] },
  { type: 'natural_disaster', name: '冰雹灾害', industries: ['grain_oil', 'fruit', 'vegetables'] },
  { type: 'natural_disaster', name: '干旱', industries: ['grain_oil'] },
  { type: 'natural_disaster', name: '低温冻害', industries: ['vegetables', 'fruit'] },
  { type: 'animal_epidemic', name: '非洲猪瘟', industries: ['hogs'] },
  { type: 'animal_epidemic', name: '高致病性禽流感', industries: ['layers', 'poultry'] },
  { type: 'animal_epidemic', name: '口蹄疫', industries: ['beef_cattle', 'sheep', 'dairy'] },
  { type: 'crop_pest', name: '草地贪夜蛾', industries: ['grain_oil'] },
  { type: 'crop_pest', name: '小麦条锈病', industries: ['grain_oil'] },
  { type: 'crop_pest', name: '蔬菜霜霉病', industries: ['vegetables'] },
  { type: 'unsalable', name: '蔬菜滞销', industries: ['vegetables'] },
  { type: 'unsalable', name: '果品滞销', industries: ['fruit'] },
  { type: 'unsalable', name: '鸡蛋滞销', industries: ['layers'] },
  { type: 'price_slump', name: '生猪价格下跌', industries: ['hogs'] },
  { type: 'price_slump', name: '生鲜乳价格下跌', industries: ['dairy'] },
];

const ROMAN = ['IV级', 'III级', 'II级', 'I级'];
const WORDS = ['一般', '较大', '重大', '特别重大'];
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

/** The ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function template(type: HazardType, name: string): Template {
  return TEMPLATES.find((t) => t.type === type && t.name === name)!;
}

/**
 * Generates the events of a data set. `slumps` are the commodities whose price falls in the
 * latest quarter (they get `price_slump` events in the counties that raise them most).
 */
export function generateHazards(
  rng: SeededRandom,
  counties: readonly CountyProfile[],
  periods: readonly Period[],
  slumps: readonly Industry[],
): HazardEvent[] {
  const latest = periods[periods.length - 1]!;
  const first = periods[0]!;
  const ls = dayNumber(latest.start);
  const le = dayNumber(latest.end);
  const county = (code: string) => counties.find((c) => c.code === code)!;
  const drafts: Array<Omit<HazardEvent, 'id' | 'severityText' | 'typeText'> & { severityText?: string }> = [];
  const add = (
    t: Template,
    c: CountyProfile,
    township: string | null,
    severity: 1 | 2 | 3 | 4,
    start: number,
    end: number | null,
    severityText?: string,
  ) =>
    drafts.push({
      type: t.type,
      countyCode: c.code,
      township,
      industries: t.industries,
      severity,
      start: isoDate(Math.max(start, dayNumber(first.start))),
      end: end === null ? null : isoDate(Math.min(end, le)),
      name: `${c.name}${township ?? ''}${t.name}`,
      ...(severityText ? { severityText } : {}),
    });

  // Events of the latest quarter: what the monitoring cycle for that quarter should react to.
  const flooded = county(rng.pick(['131026', '131025', '131081']));
  add(
    template('natural_disaster', '暴雨洪涝'),
    flooded,
    rng.pick(flooded.townships),
    3,
    ls + rng.int(25, 45),
    ls + rng.int(55, 70),
    'II级',
  );
  const swine = county(rng.pick(['131023', '131025']));
  add(template('animal_epidemic', '非洲猪瘟'), swine, null, 3, ls + rng.int(20, 50), null);
  const pest = county(rng.pick(['131022', '131026', '131025', '131002']));
  add(template('crop_pest', '草地贪夜蛾'), pest, null, 2, ls + rng.int(0, 20), ls + rng.int(60, 80), '较大');
  const veg = county(rng.pick(['131023', '131022', '131002']));
  add(template('unsalable', '蔬菜滞销'), veg, rng.pick(veg.townships), 2, ls + rng.int(30, 60), null);
  for (const commodity of slumps) {
    const name = commodity === 'hogs' ? '生猪价格下跌' : commodity === 'dairy' ? '生鲜乳价格下跌' : null;
    const t = name ? template('price_slump', name) : { type: 'price_slump' as const, name: '价格下跌', industries: [commodity] };
    const where = commodity === 'hogs' ? ['131023', '131025'] : commodity === 'dairy' ? ['131082'] : ['131025'];
    for (const code of where) add(t, county(code), null, 2, ls - rng.int(20, 40), null);
  }

  // Earlier events, all ended before the latest quarter.
  const earlyStart = dayNumber(first.start);
  const earlyEnd = ls - 1;
  const historical = earlyEnd - earlyStart >= 60 ? rng.int(12, 20) : 0;
  const types = Object.keys(HAZARD_TYPES) as HazardType[];
  for (let i = 0; i < historical; i++) {
    const type = i < types.length ? types[i]! : rng.pick(types);
    const t = rng.pick(TEMPLATES.filter((x) => x.type === type));
    const c = rng.pick(counties);
    // Price slumps are county-wide and moderate; other events often hit one township.
    const township = type !== 'price_slump' && (t.industries.length === 0 || rng.chance(0.4)) ? rng.pick(c.townships) : null;
    const severity = type === 'price_slump' ? rng.pick([1, 2] as const) : rng.pick([1, 1, 2, 2, 2, 3, 3, 4] as const);
    const duration = type === 'natural_disaster' ? rng.int(3, 30) : rng.int(20, 120);
    const start = rng.int(earlyStart, Math.max(earlyStart, earlyEnd - duration));
    drafts.push({
      type,
      countyCode: c.code,
      township,
      industries: t.industries,
      severity,
      start: isoDate(start),
      end: isoDate(Math.min(start + duration, earlyEnd)),
      name: `${c.name}${township ?? ''}${t.name}`,
    });
  }

  drafts.sort((a, b) => (a.start === b.start ? a.name.localeCompare(b.name) : a.start < b.start ? -1 : 1));
  const perYear = new Map<string, number>();
  return drafts.map((d, i) => {
    const year = d.start.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const severityText =
      d.severityText ?? (rng.chance(0.2) ? (rng.chance(0.5) ? ROMAN[d.severity - 1]! : WORDS[d.severity - 1]!) : String(d.severity));
    return {
      ...d,
      id: `HZ-${year}-${String(n).padStart(3, '0')}`,
      severityText,
      typeText: i % 3 === 1 ? HAZARD_TYPES[d.type] : d.type,
    };
  });
}

/**
 * The highest severity of events touching each (county, township, industry, period) cell,
 * by the product's exposure rule: same county; township empty or equal; industries empty or
 * containing the industry; dates overlapping the period.
 */
export class ExposureIndex {
  private readonly cells: Uint8Array;
  private readonly countyIndex = new Map<string, number>();
  private readonly maxTownships: number;

  constructor(
    readonly counties: readonly CountyProfile[],
    readonly industries: readonly Industry[],
    readonly periods: readonly Period[],
    events: readonly HazardEvent[],
  ) {
    counties.forEach((c, i) => this.countyIndex.set(c.code, i));
    this.maxTownships = Math.max(...counties.map((c) => c.townships.length));
    this.cells = new Uint8Array(counties.length * this.maxTownships * industries.length * periods.length);
    for (const e of events) {
      const ci = this.countyIndex.get(e.countyCode)!;
      const county = counties[ci]!;
      const start = dayNumber(e.start);
      const end = e.end === null ? Infinity : dayNumber(e.end);
      periods.forEach((p, pi) => {
        if (start > dayNumber(p.end) || end < dayNumber(p.start)) return;
        county.townships.forEach((t, ti) => {
          if (e.township !== null && e.township !== t) return;
          industries.forEach((ind, ii) => {
            if (e.industries.length > 0 && !e.industries.includes(ind)) return;
            const k = this.key(ci, ti, ii, pi);
            this.cells[k] = Math.max(this.cells[k]!, e.severity);
          });
        });
      });
    }
  }

  private key(county: number, township: number, industry: number, period: number): number {
    return ((county * this.maxTownships + township) * this.industries.length + industry) * this.periods.length + period;
  }

  /** Highest severity (0 when none) for county/township/industry indexes and a period index. */
  severity(county: number, township: number, industry: number, period: number): number {
    return this.cells[this.key(county, township, industry, period)]!;
  }

  /** Raises a cell to at least `severity` (used for city-wide price slumps). */
  raise(county: number, township: number, industry: number, period: number, severity: number): void {
    const k = this.key(county, township, industry, period);
    this.cells[k] = Math.max(this.cells[k]!, severity);
  }
}
