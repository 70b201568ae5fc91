// Regression metrics of the review, as scikit-learn defines them: RMSE, MAE, R², MAPE (skipped with a reason when the
// target is 0 or crosses zero), max error; the error by decile of the prediction (pandas' qcut), and a sample of points
// for the predicted-vs-actual and residual plots.
import { AppError } from '../errors.ts';
import { binOf, checkRows, quantileSorted, unitEdges } from './ranking.ts';

export type Values = Float32Array | Float64Array;

/** The numbers a review policy and the bootstrap look at; named as in POLICY_METRICS (policy.ts). */
export interface RegressionHeadline {
  /** Rows evaluated (with repeats, for a resample). */
  n: number;
  rmse: number;
  mae: number;
  /** scikit-learn's r2_score: 1 − SS_res / SS_tot; for a constant target 1 when every prediction is exact, else 0. */
  r2: number;
  /** scikit-learn's mean_absolute_percentage_error (a fraction, not %); null when skipped (see `mapeSkipped`). */
  mape: number | null;
  /** Why MAPE was skipped: the target is 0 in some rows, or takes both signs. */
  mapeSkipped?: string;
  /** The largest |actual − predicted| (scikit-learn's max_error). */
  maxError: number;
}

/** The errors of the rows whose prediction falls in one decile of the predictions. */
export interface DecileRow {
  /** 1 … 10, from the lowest predictions. */
  decile: number;
  /** The decile's edges: numpy's quantiles of the predictions at (decile − 1)/10 and decile/10. */
  from: number;
  to: number;
  n: number;
  /** Mean |actual − predicted|; NaN when the decile is empty (tied predictions can empty one). */
  mae: number;
  /** Mean (actual − predicted): above 0 the model predicts too low. NaN when empty. */
  meanError: number;
}

export interface RegressionPoint {
  predicted: number;
  actual: number;
}

export interface RegressionReport extends RegressionHeadline {
  byDecile: DecileRow[];
  /** At most `maxPoints` rows, evenly spaced in row order (deterministic), for the predicted-vs-actual and residual plots. */
  residuals: RegressionPoint[];
}

export const MAPE_ZERO = 'the target is 0 in some rows: MAPE is undefined';
export const MAPE_CROSSES_ZERO = 'the target crosses zero: MAPE is undefined';

function checkPair(actual: Values, predicted: Values, rows: Int32Array | undefined): void {
  if (actual.length !== predicted.length) {
    throw new AppError('bad-argument', `Got ${predicted.length} predictions for ${actual.length} rows`);
  }
  if (actual.length === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
  if (rows) checkRows(rows, actual.length);
}

function refuseValue(actual: Values, predicted: Values, i: number): never {
  const place = { row: i + 1 };
  if (!Number.isFinite(actual[i] as number)) throw new AppError('bad-argument', `The actual value ${actual[i]} in row ${i + 1} is not a finite number`, place);
  if (!Number.isFinite(predicted[i] as number)) throw new AppError('bad-argument', `The prediction ${predicted[i]} in row ${i + 1} is not a finite number`, place);
  throw new AppError('bad-argument', `The error in row ${i + 1} (${actual[i]} − ${predicted[i]}) is too large to compute`, place);
}

/**
 * RMSE, MAE, R², MAPE and max error over all rows, or over a bootstrap resample `rows` (indices with repeats). Refuses
 * empty or mismatched inputs and values that are NaN or infinite, naming the row.
 */
export function regressionHeadline(actual: Values, predicted: Values, rows?: Int32Array): RegressionHeadline {
  checkPair(actual, predicted, rows);
  const m = rows ? rows.length : actual.length;
  let sum = 0;
  for (let j = 0; j < m; j++) {
    const i = rows ? (rows[j] as number) : j;
    const d = (actual[i] as number) - (predicted[i] as number);
    if (!Number.isFinite(d)) refuseValue(actual, predicted, i);
    sum += actual[i] as number;
  }
  const mean = sum / m;
  let se = 0;
  let ae = 0;
  let ss = 0;
  let ape = 0;
  let maxError = 0;
  let min = Infinity;
  let max = -Infinity;
  let zero = false;
  for (let j = 0; j < m; j++) {
    const i = rows ? (rows[j] as number) : j;
    const y = actual[i] as number;
    const d = y - (predicted[i] as number);
    const abs = Math.abs(d);
    se += d * d;
    ae += abs;
    ss += (y - mean) * (y - mean);
    ape += abs / Math.max(Math.abs(y), Number.EPSILON);
    if (abs > maxError) maxError = abs;
    if (y < min) min = y;
    if (y > max) max = y;
    if (y === 0) zero = true;
  }
  const skipped = zero ? MAPE_ZERO : min < 0 && max > 0 ? MAPE_CROSSES_ZERO : undefined;
  const headline: RegressionHeadline = {
    n: m,
    rmse: Math.sqrt(se / m),
    mae: ae / m,
    r2: ss !== 0 ? 1 - se / ss : se === 0 ? 1 : 0,
    mape: skipped ? null : ape / m,
    maxError,
  };
  if (skipped) headline.mapeSkipped = skipped;
  return headline;
}

/**
 * The headline numbers with the error by decile of the prediction and a sample of points for the plots, over all rows
 * or a resample `options.rows`. Deciles are pandas' `qcut(predicted, 10)`: edges at numpy's quantiles (linear) of
 * the predictions, each bin holding its upper edge, the first also its lower one.
 */
export function regressionReport(actual: Values, predicted: Values, options: { rows?: Int32Array; maxPoints?: number } = {}): RegressionReport {
  const rows = options.rows;
  const headline = regressionHeadline(actual, predicted, rows);
  const maxPoints = options.maxPoints ?? 2000;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1)) {
    throw new AppError('bad-argument', `The most plot points must be a whole number from 1, got ${maxPoints}`);
  }
  const m = headline.n;
  const sorted = new Float64Array(m);
  for (let j = 0; j < m; j++) sorted[j] = predicted[rows ? (rows[j] as number) : j] as number;
  sorted.sort();
  const q = unitEdges(10);
  const edges = q.map((point) => quantileSorted(sorted, point));
  const counts = new Float64Array(10);
  const absSums = new Float64Array(10);
  const errSums = new Float64Array(10);
  for (let j = 0; j < m; j++) {
    const i = rows ? (rows[j] as number) : j;
    const p = predicted[i] as number;
    const d = (actual[i] as number) - p;
    const b = binOf(edges, p);
    counts[b] = (counts[b] as number) + 1;
    absSums[b] = (absSums[b] as number) + Math.abs(d);
    errSums[b] = (errSums[b] as number) + d;
  }
  const byDecile: DecileRow[] = Array.from({ length: 10 }, (_, b) => {
    const count = counts[b] as number;
    return {
      decile: b + 1,
      from: edges[b] as number,
      to: edges[b + 1] as number,
      n: count,
      mae: count ? (absSums[b] as number) / count : NaN,
      meanError: count ? (errSums[b] as number) / count : NaN,
    };
  });
  const residuals: RegressionPoint[] = [];
  const step = Math.max(1, m / maxPoints);
  for (let s = 0; Math.floor(s) < m && residuals.length < maxPoints; s += step) {
    const i = rows ? (rows[Math.floor(s)] as number) : Math.floor(s);
    residuals.push({ predicted: predicted[i] as number, actual: actual[i] as number });
  }
  return { ...headline, byDecile, residuals };
}
