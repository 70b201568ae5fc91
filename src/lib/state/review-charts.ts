// Vega-Lite specs and rows of the Evaluate report's charts: calibration, precision-recall, the threshold view, permutation importance, error by decile and residuals.
import type { VisualizationSpec } from 'vega-embed';
import type { CalibrationBin } from '../pipeline/review/calibration.ts';
import type { ThresholdRow } from '../pipeline/review/threshold.ts';
import type { DecileRow, RegressionPoint } from '../pipeline/review/regression.ts';

const diagonal = {
  mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#b5bcc6' },
  encoding: { x: { datum: 0, type: 'quantitative' as const }, y: { datum: 0, type: 'quantitative' as const }, x2: { datum: 1 }, y2: { datum: 1 } },
};

const unit = (title: string) => ({ type: 'quantitative' as const, title, scale: { domain: [0, 1] } });

/** Reliability diagram: the share of positives against the mean predicted probability per bin, beside the diagonal. */
export const calibrationSpec: VisualizationSpec = {
  data: { name: 'values' },
  layer: [
    diagonal,
    {
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'meanPredicted', ...unit('mean predicted probability') },
        y: { field: 'fractionPositive', ...unit('share of positives') },
        tooltip: [
          { field: 'meanPredicted', type: 'quantitative', title: 'mean predicted', format: '.3f' },
          { field: 'fractionPositive', type: 'quantitative', title: 'share positive', format: '.3f' },
          { field: 'count', type: 'quantitative', title: 'rows', format: ',' },
        ],
      },
    },
  ],
} as VisualizationSpec;

export const calibrationRows = (bins: readonly CalibrationBin[]) => bins.map((b) => ({ ...b }));

/** Precision against recall, in scikit-learn's order. */
export const precisionRecallSpec: VisualizationSpec = {
  data: { name: 'values' },
  mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
  encoding: {
    x: { field: 'recall', ...unit('recall') },
    y: { field: 'precision', ...unit('precision') },
    order: { field: 'recall', type: 'quantitative' },
  },
} as VisualizationSpec;

/** Precision, recall, F1 and selection rate against the threshold; the picked threshold as a rule. */
export const thresholdSpec: VisualizationSpec = {
  data: { name: 'values' },
  layer: [
    {
      transform: [{ filter: 'datum.metric != null' }],
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'threshold', ...unit('decision threshold') },
        y: { field: 'value', ...unit('') },
        color: { field: 'metric', type: 'nominal', title: null, sort: ['precision', 'recall', 'F1', 'selection rate'] },
      },
    },
    {
      transform: [{ filter: 'datum.chosen' }],
      mark: { type: 'rule', color: '#111827', strokeWidth: 1.5 },
      encoding: { x: { field: 'threshold', type: 'quantitative' } },
    },
  ],
} as VisualizationSpec;

/** The threshold view in long form, with the picked threshold as one more row. */
export function thresholdRows(rows: readonly ThresholdRow[], chosen: number): object[] {
  const out: object[] = [];
  for (const r of rows) {
    out.push({ threshold: r.threshold, metric: 'precision', value: r.precision });
    out.push({ threshold: r.threshold, metric: 'recall', value: r.recall });
    out.push({ threshold: r.threshold, metric: 'F1', value: r.f1 });
    out.push({ threshold: r.threshold, metric: 'selection rate', value: r.selectionRate });
  }
  out.push({ threshold: chosen, chosen: true });
  return out;
}

/** Mean drop of the metric per column when it is shuffled, with ± one standard deviation. */
export function importanceSpec(metric: string): VisualizationSpec {
  return {
    data: { name: 'values' },
    encoding: { y: { field: 'column', type: 'nominal', sort: { field: 'mean', order: 'descending' }, title: null } },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          x: { field: 'mean', type: 'quantitative', title: `drop in ${metric} when shuffled` },
          tooltip: [
            { field: 'column', type: 'nominal' },
            { field: 'mean', type: 'quantitative', format: '.4f' },
            { field: 'std', type: 'quantitative', title: 'spread (std)', format: '.4f' },
          ],
        },
      },
      {
        mark: { type: 'rule', color: '#111827' },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
    ],
  } as VisualizationSpec;
}

/** Trees: each column's share of the loss their splits removed in training (gain importance), largest first. */
export const gainSpec: VisualizationSpec = {
  data: { name: 'values' },
  mark: { type: 'bar', height: { band: 0.7 }, color: '#2f9e6b' },
  encoding: {
    y: { field: 'column', type: 'nominal', sort: { field: 'share', order: 'descending' }, title: null },
    x: { field: 'share', type: 'quantitative', title: 'share of the loss removed by its splits in training', axis: { format: '.0%' } },
    tooltip: [
      { field: 'column', type: 'nominal' },
      { field: 'share', type: 'quantitative', format: '.1%' },
      { field: 'gain', type: 'quantitative', format: ',.4~f' },
    ],
  },
} as VisualizationSpec;

export function importanceRows(columns: readonly { column: string; mean: number; std: number }[]): object[] {
  return columns.map((c) => ({ column: c.column, mean: c.mean, std: c.std, low: c.mean - c.std, high: c.mean + c.std }));
}

/** Mean absolute error and mean error (actual − predicted) per decile of the prediction. */
export const decileSpec: VisualizationSpec = {
  data: { name: 'values' },
  mark: { type: 'bar' },
  encoding: {
    x: { field: 'decile', type: 'ordinal', title: 'decile of the prediction (1 = lowest)', axis: { labelAngle: 0 } },
    xOffset: { field: 'measure', type: 'nominal' },
    y: { field: 'value', type: 'quantitative', title: null },
    color: { field: 'measure', type: 'nominal', title: null },
    tooltip: [
      { field: 'decile', type: 'ordinal' },
      { field: 'measure', type: 'nominal' },
      { field: 'value', type: 'quantitative', format: ',.4~f' },
      { field: 'n', type: 'quantitative', title: 'rows', format: ',' },
    ],
  },
} as VisualizationSpec;

export function decileRows(rows: readonly DecileRow[]): object[] {
  return rows.flatMap((r) => [
    { decile: r.decile, measure: 'mean absolute error', value: Number.isFinite(r.mae) ? r.mae : null, n: r.n },
    { decile: r.decile, measure: 'mean error (actual − predicted)', value: Number.isFinite(r.meanError) ? r.meanError : null, n: r.n },
  ]);
}

/** Residuals (actual − predicted) against the prediction, around zero. */
export const residualSpec: VisualizationSpec = {
  data: { name: 'values' },
  layer: [
    { mark: { type: 'rule', strokeDash: [4, 4], color: '#b5bcc6' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
    {
      mark: { type: 'circle', size: 16, opacity: 0.5 },
      encoding: {
        x: { field: 'predicted', type: 'quantitative', title: 'predicted', scale: { zero: false } },
        y: { field: 'residual', type: 'quantitative', title: 'actual − predicted' },
      },
    },
  ],
} as VisualizationSpec;

export const residualRows = (points: readonly RegressionPoint[]) => points.map((p) => ({ predicted: p.predicted, residual: p.actual - p.predicted }));

/** One prediction's attributions per column: signed bars, pushing the output up (blue) or down (orange). */
function attributionChart(against: string): VisualizationSpec {
  return {
    data: { name: 'values' },
    mark: { type: 'bar', height: { band: 0.7 } },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'size', order: 'descending' }, title: null },
      x: { field: 'attribution', type: 'quantitative', title: `share of the output against ${against}` },
      color: { field: 'direction', type: 'nominal', title: null, scale: { domain: ['raises', 'lowers'], range: ['#1d6fb8', '#e08a1e'] } },
      tooltip: [
        { field: 'column', type: 'nominal' },
        { field: 'value', type: 'nominal', title: 'value in this row' },
        { field: 'attribution', type: 'quantitative', format: '.4f' },
      ],
    },
  } as VisualizationSpec;
}

/** Each column's signed share of a prediction, against a typical row (networks) or the trees' average prediction. */
export const attributionSpec: VisualizationSpec = attributionChart('a typical row');
const treeAttributionSpec: VisualizationSpec = attributionChart("the trees' average prediction");

/** The attribution chart for an explanation computed by `method` (one spec per method, so the chart is embedded once). */
export function attributionSpecFor(method: string): VisualizationSpec {
  return method === 'tree-shap' ? treeAttributionSpec : attributionSpec;
}

export function attributionRows(columns: readonly { column: string; attribution: number }[], values: Record<string, unknown>): object[] {
  return columns.map((c) => {
    const value = values[c.column] ?? 'missing';
    return { column: c.column, label: `${c.column} = ${String(value)}`, value: String(value), attribution: c.attribution, size: Math.abs(c.attribution), direction: c.attribution >= 0 ? 'raises' : 'lowers' };
  });
}
