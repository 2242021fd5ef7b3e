/**
 * How series look on the charts, fixed per meaning so that a cause (or a county) has the same
 * look on every chart and every day, and readable when printed in grey: colours step through
 * lightness (a viridis-like ramp, also safe for colour-blind readers), and each series also has
 * its own fill pattern (bars) or point style and dash (lines). The browser draws the patterns
 * (src/http/static/charts.js reads `iwPattern`).
 */
import { CAUSES } from '../../domain/catalog.js';

/** Dark to light: neighbours differ in lightness as well as in hue. */
const RAMP = ['#2b0f54', '#3b4cc0', '#1f78b4', '#1b9e77', '#66a61e', '#b8860b', '#e6550d', '#fdae61', '#9e9ac8', '#737373'];
const PATTERNS = ['none', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical', 'diagonal-reverse', 'grid', 'zigzag', 'none'];
const POINTS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded', 'triangle', 'circle'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 4]];

export interface SeriesStyle {
  color: string;
  pattern: string;
  point: string;
  dash: number[];
}

function styleAt(index: number): SeriesStyle {
  const i = index % RAMP.length;
  return { color: RAMP[i]!, pattern: PATTERNS[i]!, point: POINTS[i]!, dash: DASHES[i]! };
}

const CAUSE_ORDER = Object.keys(CAUSES);

/** The style of a cause: by its place in the catalogue, so it never depends on which causes a chart shows. */
export function causeStyle(cause: string): SeriesStyle {
  const i = CAUSE_ORDER.indexOf(cause);
  return styleAt(i < 0 ? CAUSE_ORDER.length : i);
}

/** The style of the n-th of a fixed list (counties by code, task states). */
export function seriesStyle(index: number): SeriesStyle {
  return styleAt(index);
}

/** Chart.js options of a bar series in this style (`iwPattern` is drawn by charts.js). */
export function barSeries(style: SeriesStyle) {
  return { backgroundColor: style.color, borderColor: style.color, borderWidth: 1, iwPattern: style.pattern };
}

/** Chart.js options of a line series in this style. */
export function lineSeries(style: SeriesStyle) {
  return {
    type: 'line',
    borderColor: style.color,
    backgroundColor: style.color,
    pointStyle: style.point,
    pointRadius: 5,
    borderDash: style.dash,
    borderWidth: 2,
    fill: false,
  };
}
