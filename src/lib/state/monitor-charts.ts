// Vega-Lite specs and rows of the Monitor view: the drift-share timeline with its threshold, and a column's reference and batch distributions overlaid.
import type { VisualizationSpec } from 'vega-embed';
import type { DriftSummary } from '../contracts/monitor.ts';
import type { Distribution } from '../pipeline/monitor/distribution.ts';

/** One point per stored report (oldest first) and the share threshold drawn as a rule. */
export function timelineRows(reports: readonly DriftSummary[]) {
  return reports.map((r, i) => ({
    batch: i + 1,
    label: r.batchLabel,
    share: r.driftShare,
    threshold: r.shareThreshold,
    verdict: r.datasetDrift ? 'dataset drift' : 'no dataset drift',
    at: r.createdAt.slice(0, 16).replace('T', ' '),
    drifted: r.drifted.join(', ') || 'none',
  }));
}

export const timelineSpec: VisualizationSpec = {
  data: { name: 'values' },
  layer: [
    {
      mark: { type: 'line', color: '#9aa5b1', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'batch', type: 'quantitative', title: 'batch (in the order compared)', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'share', type: 'quantitative', title: 'share of columns drifted', scale: { domain: [0, 1] }, axis: { format: '%' } },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 80 },
      encoding: {
        x: { field: 'batch', type: 'quantitative' },
        y: { field: 'share', type: 'quantitative' },
        color: { field: 'verdict', type: 'nominal', title: null, scale: { domain: ['no dataset drift', 'dataset drift'], range: ['#2f9e6b', '#d14b4b'] } },
        tooltip: [
          { field: 'label', title: 'batch' },
          { field: 'at', title: 'compared' },
          { field: 'share', type: 'quantitative', title: 'drifted share', format: '.0%' },
          { field: 'drifted', title: 'drifted columns' },
        ],
      },
    },
    {
      mark: { type: 'rule', strokeDash: [4, 4], color: '#d14b4b' },
      encoding: { y: { aggregate: 'max', field: 'threshold', type: 'quantitative' } },
    },
  ],
} as VisualizationSpec;

/** One point per report with a metric: the batch's value (measured or estimated) and the test value drawn as a rule. */
export function metricRows(reports: readonly DriftSummary[]) {
  return reports.flatMap((r, i) =>
    r.metric ? [{ batch: i + 1, label: r.batchLabel, value: r.metric.value, test: r.metric.test, name: r.metric.name, how: r.metric.estimated ? 'estimated (no labels)' : 'measured' }] : [],
  );
}

export const metricSpec: VisualizationSpec = {
  data: { name: 'values' },
  layer: [
    {
      mark: { type: 'line', color: '#9aa5b1', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'batch', type: 'quantitative', title: 'batch (in the order compared)', axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'value', type: 'quantitative', title: 'accuracy or R²', scale: { zero: false, padding: 12 } },
      },
    },
    {
      mark: { type: 'point', size: 80 },
      encoding: {
        x: { field: 'batch', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative' },
        shape: { field: 'how', type: 'nominal', title: null, scale: { domain: ['measured', 'estimated (no labels)'], range: ['circle', 'diamond'] } },
        tooltip: [
          { field: 'label', title: 'batch' },
          { field: 'name', title: 'metric' },
          { field: 'value', type: 'quantitative', title: 'value', format: '.3f' },
          { field: 'test', type: 'quantitative', title: 'on the test split', format: '.3f' },
          { field: 'how', title: 'how' },
        ],
      },
    },
    {
      mark: { type: 'rule', strokeDash: [4, 4], color: '#1d6fb8' },
      encoding: { y: { aggregate: 'max', field: 'test', type: 'quantitative' } },
    },
  ],
} as VisualizationSpec;

/** Two rows per bin: the reference's share and the batch's. */
/** How the two sides are named: a model's training data and a batch, or two versions. */
export const TRAINING_SIDES: readonly [string, string] = ['reference (training)', 'this batch'];

export function distributionRows(distribution: Distribution, sides: readonly [string, string] = TRAINING_SIDES) {
  return distribution.bins.flatMap((bin, order) => [
    { bin: bin.label, order, side: sides[0], share: bin.reference },
    { bin: bin.label, order, side: sides[1], share: bin.current },
  ]);
}

export function distributionSpec(kind: Distribution['kind'], sides: readonly [string, string] = TRAINING_SIDES): VisualizationSpec {
  return {
    data: { name: 'values' },
    mark: { type: 'bar', opacity: kind === 'number' ? 0.55 : 0.9 },
    encoding: {
      x: {
        field: 'bin',
        type: 'nominal',
        title: kind === 'number' ? 'value (equal-width bins)' : 'category',
        sort: { field: 'order', op: 'min' },
        axis: { labelAngle: -40, labelLimit: 110 },
      },
      y: { field: 'share', type: 'quantitative', title: 'share of rows', axis: { format: '%' }, ...(kind === 'number' ? { stack: null } : {}) },
      color: { field: 'side', type: 'nominal', title: null, scale: { domain: [...sides], range: ['#1d6fb8', '#e08a1e'] } },
      ...(kind === 'category' ? { xOffset: { field: 'side' } } : {}),
      tooltip: [
        { field: 'bin', title: kind === 'number' ? 'bin' : 'category' },
        { field: 'side', title: 'side' },
        { field: 'share', type: 'quantitative', title: 'share', format: '.1%' },
      ],
    },
  } as VisualizationSpec;
}
