// One prediction from a one-row table: the predicted label or value, class probabilities, the thresholded decision and each column's attribution.
import type { Predictor } from './predictor.ts';
import { AppError } from '../pipeline/errors.ts';
import { applyTransforms } from '../pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';
import { predictTable } from './predict.ts';
import { attributions, baselineRow, type Attribution } from './review/attribution.ts';
import { binaryDecision, decideClasses, type ScoreDecision } from './score.ts';

export interface OnePrediction {
  /** The predicted class (a binary model's at its decision threshold) or value. */
  predicted: string | number;
  /** Each class's probability, in the bundle's class order (empty for regression). */
  probabilities: { label: string; probability: number }[];
  /** A binary model's decision: the positive class is predicted at p ≥ threshold (0.5 without a saved one). */
  decision: { threshold: number; positive: string; saved: boolean } | null;
  attribution: Attribution;
}

/**
 * Predicts the one row of `row` (a table from oneRowTable, after the recipe) and explains it against the
 * training medians and modes with `attributions` (exact for linear models, Integrated Gradients for MLPs).
 */
export async function predictOne(model: Predictor, bundle: TransformBundle, row: DataTable, decision: ScoreDecision = {}): Promise<OnePrediction> {
  if (row.rowCount !== 1) throw new AppError('bad-argument', `A single prediction needs one row, got ${row.rowCount}`);
  const x = applyTransforms(row, bundle, Int32Array.of(0));
  const out = await predictTable(model, x, 1, bundle.width, bundle.task);
  const attribution = await attributions(model, bundle, x, baselineRow(bundle));
  if (bundle.task === 'regression') return { predicted: out[0] as number, probabilities: [], decision: null, attribution };
  const classes = bundle.classes ?? [];
  const decide = binaryDecision(bundle, decision);
  const chosen = decideClasses(out, 1, classes.length, decide)[0] as number;
  const positive = decide?.positive ?? classes.length - 1;
  return {
    predicted: classes[chosen] ?? '',
    probabilities: classes.map((label, c) => ({ label, probability: out[c] as number })),
    decision: bundle.task === 'binary' ? { threshold: decide?.threshold ?? 0.5, positive: classes[positive] ?? '', saved: decide !== null } : null,
    attribution,
  };
}
