/**
 * The Explore page's charts, drawn with uPlot: the batch's histogram of distinct orderings and
 * the sweep's mean-and-spread charts per nap probability. Colours come from the VS Code theme.
 */
import uPlot from 'uplot';
import type { ExploreStats, ExploreSweepGroup } from '../../protocol/explore';
import { themeVars } from '../shared/theme';

export interface ChartPalette {
  foreground: string;
  muted: string;
  grid: string;
  accent: string;
  second: string;
  font: string;
}

export function readChartPalette(): ChartPalette {
  const v = themeVars();
  return {
    foreground: v('--vscode-foreground', '#cccccc'),
    muted: v('--vscode-descriptionForeground', '#999999'),
    grid: v('--vscode-editorRuler-foreground', v('--vscode-panel-border', '#80808040')),
    accent: v('--vscode-charts-blue', '#3794ff'),
    second: v('--vscode-charts-orange', '#d18616'),
    font: v('--vscode-font-family', 'sans-serif'),
  };
}

/** The colour with alpha a (0..1), for band fills; handles #rgb, #rrggbb, #rrggbbaa and rgb()/rgba(). */
export function withAlpha(color: string, a: number): string {
  const c = color.trim();
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (m) { return `rgba(${parseInt(m[1] + m[1], 16)}, ${parseInt(m[2] + m[2], 16)}, ${parseInt(m[3] + m[3], 16)}, ${a})`; }
  m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})(?:[0-9a-f]{2})?$/i.exec(c);
  if (m) { return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${a})`; }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(c);
  if (m) { return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${a})`; }
  return `rgba(128, 128, 128, ${a})`;
}

const CHART_HEIGHT = 220;

function axes(p: ChartPalette, xLabel: string, yLabel: string, xValues?: uPlot.Axis['values'], yIncrs?: number[], xGrid = true): uPlot.Axis[] {
  const font = `12px ${p.font}`;
  const grid = withAlpha(p.grid, 0.45);
  const common = { stroke: p.foreground, font, labelFont: font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return [
    { ...common, label: xLabel, ...(xValues ? { values: xValues } : {}), ...(xGrid ? {} : { grid: { show: false } }) },
    { ...common, label: yLabel, size: 56, ...(yIncrs ? { incrs: yIncrs } : {}) },
  ];
}

const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** Bars: x = ordering rank (1 = most common), y = runs that printed it. */
export function histogram(target: HTMLElement, counts: readonly number[], width: number, p: ChartPalette): uPlot {
  const ranks = counts.map((_, i) => i + 1);
  const max = Math.max(1, ...counts);
  const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 80] }) : undefined;
  const opts: uPlot.Options = {
    title: 'Runs per distinct ordering (most common first)',
    width, height: CHART_HEIGHT,
    scales: { x: { time: false, range: () => [0.5, counts.length + 0.5] }, y: { range: () => [0, max + Math.max(1, Math.ceil(max * 0.1))] } },
    legend: { show: true },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    series: [
      { label: 'ordering', value: (_u, v) => (v == null ? '—' : `#${v}`) },
      {
        label: 'runs', stroke: p.accent, fill: withAlpha(p.accent, 0.55), width: 1,
        ...(bars ? { paths: bars } : {}), points: { show: false },
      },
    ],
    axes: axes(p, 'ordering (#1 = most common)', 'runs',
      (_u, splits) => splits.map((v) => (Number.isInteger(v) ? `#${v}` : '')), INTEGER_INCRS, false),
  };
  // uPlot's axis splits must be whole orderings.
  opts.axes![0].incrs = INTEGER_INCRS;
  return new uPlot(opts, [ranks, counts.slice()], target);
}

export type SweepMetric = { key: 'durationMs' | 'lockWaitMs' | 'maxQueueDepth' | 'putGetLatencyMs'; title: string; unit: string } | { key: 'distinctOrderings'; title: string; unit: string };

export const SWEEP_METRICS: readonly SweepMetric[] = [
  { key: 'durationMs', title: 'Run duration', unit: 'ms' },
  { key: 'lockWaitMs', title: 'Total lock wait per run', unit: 'ms' },
  { key: 'maxQueueDepth', title: 'Max queue depth', unit: 'messages' },
  { key: 'putGetLatencyMs', title: 'Put→get latency (mean per run)', unit: 'ms' },
  { key: 'distinctOrderings', title: 'Distinct orderings', unit: 'orderings' },
];

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function xRange(xs: readonly number[]): uPlot.Range.Function {
  return () => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const pad = hi > lo ? (hi - lo) * 0.06 : 0.1;
    return [lo - pad, hi + pad];
  };
}

function yFromZero(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  const top = max !== null && Number.isFinite(max) && max > 0 ? max * 1.1 : 1;
  return [0, top];
}

const fmt = (v: number | null | undefined, digits = 2) => (v == null ? '—' : Number.isInteger(v) ? String(v) : String(Number(v.toFixed(digits))));

/** One sweep chart: mean line, p10–p90 and min–max bands, median dashed; or a count per probability. */
export function sweepChart(target: HTMLElement, metric: SweepMetric, groups: readonly ExploreSweepGroup[], width: number, p: ChartPalette): uPlot {
  const xs = groups.map((g) => g.napProbability);
  const common = {
    title: `${metric.title} (${metric.unit})`,
    width, height: CHART_HEIGHT,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  };
  const xSeries: uPlot.Series = { label: 'p', value: (_u, v) => fmt(v) };
  const xAxis = (_u: uPlot, splits: number[]) => splits.map((v) => fmt(v));
  if (metric.key === 'distinctOrderings') {
    const ys = groups.map((g) => g.distinctOrderings);
    const runs = groups.map((g) => g.runs);
    return new uPlot({
      ...common,
      scales: { x: { time: false, range: xRange(xs) }, y: { range: yFromZero } },
      series: [
        xSeries,
        { label: 'distinct orderings', stroke: p.accent, width: 2, points: { show: true, size: 7, fill: p.accent }, value: (_u, v) => fmt(v) },
        { label: 'runs', stroke: p.muted, width: 1, dash: [4, 4], points: { show: false }, value: (_u, v) => fmt(v) },
      ],
      axes: axes(p, 'nap probability', metric.unit, xAxis, INTEGER_INCRS),
    }, [xs, ys, runs], target);
  }
  const stat = (f: keyof ExploreStats) => groups.map((g) => orNull(g[metric.key][f]));
  const faint = withAlpha(p.accent, 0.45);
  const data: uPlot.AlignedData = [xs, stat('min'), stat('p10'), stat('p90'), stat('max'), stat('mean'), stat('median')];
  return new uPlot({
    ...common,
    scales: { x: { time: false, range: xRange(xs) }, y: { range: yFromZero } },
    series: [
      xSeries,
      { label: 'min', stroke: faint, width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
      { label: 'p10', stroke: faint, width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
      { label: 'p90', stroke: faint, width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
      { label: 'max', stroke: faint, width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
      { label: 'mean', stroke: p.accent, width: 2.5, points: { show: true, size: 7, fill: p.accent }, value: (_u, v) => fmt(v) },
      { label: 'median', stroke: p.second, width: 1.5, dash: [6, 4], points: { show: false }, value: (_u, v) => fmt(v) },
    ],
    bands: [
      { series: [4, 1], fill: withAlpha(p.accent, 0.12) },
      { series: [3, 2], fill: withAlpha(p.accent, 0.22) },
    ],
    axes: axes(p, 'nap probability', metric.unit, xAxis, metric.key === 'maxQueueDepth' ? INTEGER_INCRS : undefined),
  }, data, target);
}
