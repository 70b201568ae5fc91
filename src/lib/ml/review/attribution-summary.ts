// The shape of a per-prediction attribution and how slot attributions add up per feature and source column (shared by networks and trees).
import type { TransformBundle } from '../../pipeline/types.ts';
import { featureSlots } from './network.ts';

/**
 * What is explained: the predicted value (regression), the log-odds of the class (binary: log p_c/(1 − p_c)),
 * or the class's centred logit log p_c − mean_k log p_k (multiclass). Linear models are exact in this space
 * (the output before the last activation is linear in the inputs); MLPs are explained in the same space so
 * the two kinds read alike.
 */
export type AttributionOutput = 'value' | 'log-odds' | 'centred-logit';

/** One feature's share: the sum over its matrix slots. */
export interface FeatureAttribution {
  name: string;
  columns: string[];
  start: number;
  end: number;
  attribution: number;
}

/** One source column's share. */
export interface ColumnAttribution {
  column: string;
  attribution: number;
}

export interface Attribution {
  /** tree-shap: exact TreeSHAP of gradient-boosted trees, against the trees' expected output (baselineValue). */
  method: 'linear' | 'integrated-gradients' | 'tree-shap';
  output: AttributionOutput;
  classIndex: number | null;
  className: string | null;
  /** The explained output at the row and at the baseline. */
  value: number;
  baselineValue: number;
  /** Σ attributions; equal to value − baselineValue (exactly for linear models, within the integration error for IG). */
  total: number;
  /** |total − (value − baselineValue)| / |value − baselineValue| (0 when both are 0). */
  relativeGap: number;
  /** How the path integral was taken (null for the exact linear attribution). */
  integration: 'piecewise-linear' | 'trapezoid' | null;
  /** Gradient points: the linear pieces of the path, or the trapezoid's steps (null for the linear attribution). */
  steps: number | null;
  /** One attribution per matrix slot, in bundle.featureNames order. */
  slots: number[];
  /** Per feature, in matrix order. */
  features: FeatureAttribution[];
  /**
   * Per source column, largest |attribution| first: each feature's share goes to the column it reads; a ratio or
   * difference of two columns gives half of its share to each (the two cannot be told apart through one slot).
   */
  columns: ColumnAttribution[];
}

/** What a model of the bundle's task is explained in (see AttributionOutput). */
export function outputSpace(bundle: TransformBundle): AttributionOutput {
  return bundle.task === 'regression' ? 'value' : bundle.task === 'binary' ? 'log-odds' : 'centred-logit';
}


/** The attribution of each matrix slot summed per feature and per source column, with the total and its gap. */
export function summarize(
  bundle: TransformBundle,
  attribution: number[],
  head: Omit<Attribution, 'total' | 'relativeGap' | 'slots' | 'features' | 'columns'>,
): Attribution {
  const features = featureSlots(bundle).map(({ name, columns, start, end }) => {
    let sum = 0;
    for (let s = start; s < end; s++) sum += attribution[s] as number;
    return { name, columns, start, end, attribution: sum };
  });
  const byColumn = new Map<string, number>();
  for (const f of features) {
    for (const column of f.columns) byColumn.set(column, (byColumn.get(column) ?? 0) + f.attribution / f.columns.length);
  }
  const columns = [...byColumn].map(([column, a]) => ({ column, attribution: a })).sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
  const total = attribution.reduce((a, b) => a + b, 0);
  return { ...head, total, relativeGap: relativeGapOf(total, head.value - head.baselineValue), slots: attribution, features, columns };
}


export function relativeGapOf(total: number, delta: number): number {
  if (delta === 0) return total === 0 ? 0 : Infinity;
  return Math.abs(total - delta) / Math.abs(delta);
}
