/**
 * How series look on the charts, fixed per meaning so that a cause (or a county) has the same
 * look on every chart and every day, and readable when printed in grey: the colours are the ten
 * steps of the viridis scale, whose lightness rises evenly from dark violet to light yellow (and
 * which colour-blind readers tell apart), taken in an order that puts a dark next to a light one;
 * each series also has its own fill pattern (bars) or point style and dash (lines), and bars a
 * dark outline so that the lightest stays visible on white paper. The browser draws the patterns
 * (src/http/static/charts.js reads `iwPattern`).
 */
import { CAUSES } from '../../domain/catalog.js';

/** viridis, dark to light (grey levels 30 … 215). */
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
/**
 * Neighbouring series mostly alternate between the dark and the light half. The ninth takes step 8,
 * not 3: steps 3 and 4 print as nearly the same grey, and the nine causes use steps 0–2 and 4–9.
 */
const ORDER = [0, 5, 2, 7, 4, 9, 1, 6, 8, 3];
const PATTERNS = ['none', 'diagonal', 'dots', 'cross', 'horizontal', 'vertical', 'diagonal-reverse', 'grid', 'zigzag', 'none'];
const POINTS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded', 'triangle', 'circle'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [4, 4]];
const OUTLINE = '#1f2328';

export interface SeriesStyle {
  color: string;
  pattern: string;
  point: string;
  dash: number[];
}

function styleAt(index: number): SeriesStyle {
  const i = index % ORDER.length;
  return { color: VIRIDIS[ORDER[i]!]!, pattern: PATTERNS[i]!, point: POINTS[i]!, dash: DASHES[i]! };
}

const CAUSE_ORDER = Object.keys(CAUSES);

/** The style of a cause: by its place in the catalogue, so it never depends on which causes a chart shows. */
export function causeStyle(cause: string): SeriesStyle {
  const i = CAUSE_ORDER.indexOf(cause);
  return styleAt(i < 0 ? CAUSE_ORDER.length : i);
}

/** The style of the n-th of a fixed list (counties by code). */
export function seriesStyle(index: number): SeriesStyle {
  return styleAt(index);
}

/**
 * Task states keep the colours the pages use for them (overdue in red) and step in lightness
 * from the open ones (dark) to the closed ones (light), each with its own pattern: 办理中, 逾期,
 * 已落实帮扶, 风险消除, 核实无风险.
 */
export const TASK_STYLES: readonly SeriesStyle[] = [
  { color: '#0b5cad', pattern: 'none', point: 'circle', dash: [] },
  { color: '#cf222e', pattern: 'diagonal', point: 'triangle', dash: [6, 3] },
  { color: '#2da44e', pattern: 'dots', point: 'rect', dash: [2, 2] },
  { color: '#8fd19e', pattern: 'cross', point: 'rectRot', dash: [8, 3, 2, 3] },
  { color: '#d0d7de', pattern: 'grid', point: 'star', dash: [12, 4] },
];

/** Chart.js options of a bar series in this style (`iwPattern` is drawn by charts.js). */
export function barSeries(style: SeriesStyle) {
  return { backgroundColor: style.color, borderColor: OUTLINE, borderWidth: 1, iwPattern: style.pattern };
}

/** Chart.js options of a line series in this style. */
export function lineSeries(style: SeriesStyle) {
  return {
    type: 'line',
    borderColor: style.color,
    backgroundColor: style.color,
    pointStyle: style.point,
    pointRadius: 5,
    pointBorderColor: OUTLINE,
    pointBorderWidth: 1,
    borderDash: style.dash,
    borderWidth: 2,
    fill: false,
  };
}
