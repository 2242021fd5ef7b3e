/**
 * The chart styles stay apart in grey print: every cause (and every county, and every task
 * state) has its own colour, fill pattern and point/dash, and the grey levels of the causes'
 * colours differ visibly.
 */
import { describe, expect, it } from 'vitest';
import { CAUSES, LANGFANG_COUNTIES } from '../../src/domain/catalog.js';
import { causeStyle, seriesStyle, TASK_STYLES, type SeriesStyle } from '../../src/http/pages/chart-styles.js';

/** The grey a colour prints as (ITU-R BT.601 luma, 0–255). */
function grey(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
}

function expectDistinct(styles: SeriesStyle[]): void {
  expect(new Set(styles.map((s) => s.color)).size).toBe(styles.length);
  expect(new Set(styles.map((s) => `${s.point} ${s.dash.join(',')}`)).size).toBe(styles.length);
}

describe('chart styles', () => {
  it('give each cause its own colour, pattern and line style, with grey levels at least 12 apart', () => {
    const styles = Object.keys(CAUSES).map(causeStyle);
    expectDistinct(styles);
    expect(new Set(styles.map((s) => s.pattern)).size).toBe(styles.length);
    const greys = styles.map((s) => grey(s.color)).sort((a, b) => a - b);
    for (let i = 1; i < greys.length; i++) expect(greys[i]! - greys[i - 1]!).toBeGreaterThanOrEqual(12);
  });

  it('do not depend on which causes a chart shows', () => {
    expect(causeStyle('price_slump')).toEqual(causeStyle('price_slump'));
    expect(causeStyle('low_income')).not.toEqual(causeStyle('price_slump'));
  });

  it('tell the ten counties apart and step the task states from dark (open) to light (closed)', () => {
    expectDistinct(LANGFANG_COUNTIES.map((_, i) => seriesStyle(i)));
    expectDistinct([...TASK_STYLES]);
    expect(new Set(TASK_STYLES.map((s) => s.pattern)).size).toBe(TASK_STYLES.length);
    const greys = TASK_STYLES.map((s) => grey(s.color));
    expect([...greys].sort((a, b) => a - b)).toEqual(greys);
  });
});
