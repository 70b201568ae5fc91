// Batch scoring: a saved model and its transform bundle applied to a new table (a binary model at its saved decision threshold).
import type { Predictor } from './predictor.ts';
import { AppError } from '../pipeline/errors.ts';
import { checkThreshold } from '../pipeline/review/threshold.ts';
import { applyTransforms } from '../pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../pipeline/types.ts';
import { predictTable } from './predict.ts';

/** One output column of a scoring run. */
export interface PredictionColumn {
  name: string;
  values: string[] | Float32Array;
}

/** A binary model's decision: the positive class is predicted when its probability is at least `threshold`. */
export interface ScoreDecision {
  threshold?: number | undefined;
  /** The positive class's label (default: the last class). */
  positive?: string | undefined;
}

/** The positive class's index and the threshold of a binary bundle's decision; null: the argmax (other tasks, no threshold). */
export function binaryDecision(bundle: TransformBundle, decision: ScoreDecision): { positive: number; threshold: number } | null {
  if (bundle.task !== 'binary' || decision.threshold === undefined) return null;
  const classes = bundle.classes ?? [];
  const positive = decision.positive === undefined ? classes.length - 1 : classes.indexOf(decision.positive);
  if (positive < 0) throw new AppError('bad-argument', `The positive class "${decision.positive}" is not one of the classes ${classes.map((c) => `"${c}"`).join(', ')}`);
  return { positive, threshold: checkThreshold(decision.threshold) };
}

/**
 * Predictions for every row of `table`: for classification the predicted label and one
 * `probability_<class>` column per class; for regression the predicted value. A binary model with a decision
 * threshold predicts the positive class when p(positive) ≥ threshold, else the other class.
 */
export async function scoreTable(
  model: Predictor,
  bundle: TransformBundle,
  table: DataTable,
  decision: ScoreDecision = {},
): Promise<PredictionColumn[]> {
  const n = table.rowCount;
  const x = applyTransforms(table, bundle);
  const out = await predictTable(model, x, n, bundle.width, bundle.task);
  const predictedName = `predicted_${bundle.target}`;
  if (bundle.task === 'regression') return [{ name: predictedName, values: out }];
  const classes = bundle.classes ?? [];
  const k = classes.length;
  const chosen = decideClasses(out, n, k, binaryDecision(bundle, decision));
  const labels: string[] = Array.from(chosen, (c) => classes[c] ?? '');
  const probabilities = classes.map((_, c) => {
    const column = new Float32Array(n);
    for (let i = 0; i < n; i++) column[i] = out[i * k + c]!;
    return column;
  });
  return [
    { name: predictedName, values: labels },
    ...classes.map((label, c) => ({ name: `probability_${label}`, values: probabilities[c]! })),
  ];
}

/**
 * The class index of each of `n` rows of probabilities (n × k, row-major): the argmax (the first on a tie), or
 * for a binary decision the positive class when its probability is at least the threshold.
 */
export function decideClasses(out: Float32Array, n: number, k: number, decide: { positive: number; threshold: number } | null): Int32Array {
  const chosen = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (decide) {
      chosen[i] = out[i * k + decide.positive]! >= decide.threshold ? decide.positive : 1 - decide.positive;
      continue;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
    chosen[i] = best;
  }
  return chosen;
}
