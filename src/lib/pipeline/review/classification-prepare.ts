// Classification inputs checked and prepared once: labels kept or excluded, per-row log-loss/Brier terms, sorted score columns.
import { AppError } from '../errors.ts';
import { checkBins, checkStrategy, type BinStrategy } from './calibration.ts';
import { rankScores, type RankedScores } from './ranking.ts';
import { checkPositive, checkThreshold, DEFAULT_THRESHOLD, predictedClasses } from './threshold.ts';

/** float64 machine epsilon: the clipping of scikit-learn 1.2's `log_loss(eps="auto")` for float64 probabilities. */
export const LOG_LOSS_EPS = 2 ** -52;

export interface ClassificationOptions {
  /** Binary: the index of the positive class (default: the last class). Ignored for more classes. */
  positive?: number;
  /** Binary: predict positive when P(positive) ≥ this (default 0.5); refused outside [0, 1]. Ignored for more classes. */
  threshold?: number;
  /** The calibration curve and ECE: 10 uniform bins unless told otherwise. */
  calibration?: { bins?: number; strategy?: BinStrategy };
  /** Most points per ROC or precision-recall curve in the report (default 200), evenly thinned. */
  maxCurvePoints?: number;
  /** Log-loss clipping: probabilities are clipped to [eps, 1 − eps] (default `LOG_LOSS_EPS`). */
  eps?: number;
}

/** A sorted score column with its count buffers (one slot per distinct score). */
export interface Column {
  /** The class whose one-vs-rest curve this is; −1 for the top-label confidence of a multiclass model. */
  cls: number;
  ranked: RankedScores;
  pos: Float64Array;
  neg: Float64Array;
}

/** The inputs checked, with each scored column sorted once and the per-row terms computed; see `prepareClassification`. */
export interface PreparedClassification {
  readonly classes: string[];
  readonly k: number;
  /** Rows in the arrays (including excluded ones). */
  readonly n: number;
  readonly positive: number | null;
  readonly threshold: number | null;
  /**
   * Per position of the first column's sorted order: the confusion cell (label · k + predicted, −1 when the row is
   * left out), the row's log loss and Brier terms. Kept in that order so one sequential walk counts everything.
   */
  readonly cell: Int32Array;
  readonly loss: Float64Array;
  readonly brier: Float64Array;
  /** Every row's loss and Brier term is finite (a resample may then weight them without a branch: 0 · term is 0). */
  readonly finiteTerms: boolean;
  /** Binary: the positive class's column; multiclass: one per class. */
  readonly columns: Column[];
  /** What the calibration curve bins: binary P(positive) (the first column); multiclass the top-label confidence. */
  readonly calibrationColumn: Column;
  readonly excluded: number;
  readonly bins: number;
  readonly strategy: BinStrategy;
  readonly maxCurvePoints: number;
  /** The multiplicities of the current resample (reused). */
  readonly weights: Int32Array;
  /** The same in bytes, for binary resamples (a quarter of the memory to gather from; see `multiplicity8`). */
  readonly weights8: Uint8Array;
  /** Binary: the first column's groups laid out for a flat walk (`tallyBinary`); null for more classes. */
  readonly binary: BinaryGroups | null;
}

/** A binary model's sorted scores, for a flat walk of a resample. */
export interface BinaryGroups {
  /** Per sorted position: 1 where a group of equal scores ends. */
  lastOfGroup: Uint8Array;
  /**
   * The sorted positions before this one are the groups predicted positive (P(positive) ≥ threshold: one prediction
   * per score, and the scores fall).
   */
  positiveEnd: number;
}

function columnOf(cls: number, scores: Float32Array, classOf: Int8Array, n: number, stride: number, offset: number): Column {
  const ranked = rankScores(scores, classOf, n, stride, offset);
  return { cls, ranked, pos: new Float64Array(ranked.values.length), neg: new Float64Array(ranked.values.length) };
}

/**
 * Checks the inputs and does the work every resample shares. Refuses: fewer than two classes, probabilities that do
 * not fill n × k, no rows, probabilities outside [0, 1] or NaN (naming row and class), a positive class or threshold
 * out of range, and inputs where no row has a label among the classes.
 */
export function prepareClassification(
  labels: Int32Array,
  probs: Float32Array,
  classes: string[],
  options: ClassificationOptions = {},
): PreparedClassification {
  const k = classes.length;
  if (k < 2) throw new AppError('bad-argument', `Classification needs at least two classes, got ${k}`);
  const n = labels.length;
  if (probs.length !== n * k) throw new AppError('bad-argument', `Got ${probs.length} probabilities for ${n} rows × ${k} classes`);
  if (n === 0) throw new AppError('bad-argument', 'There are no rows to evaluate');
  const bad = firstBadProbability(probs);
  if (bad >= 0) {
    const i = Math.floor(bad / k);
    throw new AppError('bad-argument', `Probability ${probs[bad]} of class "${classes[bad - i * k]}" in row ${i + 1} is not in [0, 1]`, { row: i + 1 });
  }
  const binary = k === 2;
  const positive = binary ? checkPositive(options.positive ?? k - 1, k) : null;
  const threshold = binary ? checkThreshold(options.threshold ?? DEFAULT_THRESHOLD) : null;
  const eps = options.eps ?? LOG_LOSS_EPS;
  if (!(eps >= 0 && eps < 0.5)) throw new AppError('bad-argument', `The log-loss clipping must be in [0, 0.5), got ${eps}`);
  const maxCurvePoints = options.maxCurvePoints ?? 200;
  if (!(Number.isInteger(maxCurvePoints) && maxCurvePoints >= 2)) {
    throw new AppError('bad-argument', `The most curve points must be a whole number from 2, got ${maxCurvePoints}`);
  }
  const bins = checkBins(options.calibration?.bins ?? 10);
  const strategy = checkStrategy(options.calibration?.strategy ?? 'uniform');

  const kept = new Int32Array(n);
  const excluded = keepLabels(labels, k, kept);
  if (excluded === n) throw new AppError('bad-argument', `None of the ${n} rows has a label among the ${k} classes`);

  const predicted = predictedClasses(probs, k, binary ? { positive: positive as number, threshold: threshold as number } : {});
  const rowLoss = new Float64Array(n);
  const rowBrier = new Float64Array(n);
  rowTerms(kept, probs, k, eps, binary ? (positive as number) : -1, rowLoss, rowBrier);
  const classOf = new Int8Array(n);
  const columnFor = (c: number): Column => {
    oneVsRest(kept, c, classOf);
    return columnOf(c, probs, classOf, n, k, c);
  };
  const columns = binary ? [columnFor(positive as number)] : Array.from({ length: k }, (_, c) => columnFor(c));
  let calibrationColumn = columns[0] as Column;
  if (!binary) {
    const confidence = new Float32Array(n);
    topLabelTerms(kept, probs, k, predicted, confidence, classOf);
    calibrationColumn = columnOf(-1, confidence, classOf, n, 1, 0);
  }
  const cell = new Int32Array(n);
  const loss = new Float64Array(n);
  const brier = new Float64Array(n);
  inSortedOrder((columns[0] as Column).ranked.order, kept, predicted, k, rowLoss, rowBrier, cell, loss, brier);
  return {
    classes: classes.slice(),
    k,
    n,
    positive,
    threshold,
    cell,
    loss,
    brier,
    finiteTerms: allFinite(loss) && allFinite(brier),
    columns,
    calibrationColumn,
    excluded,
    bins,
    strategy,
    maxCurvePoints,
    weights: new Int32Array(n),
    weights8: new Uint8Array(binary ? n : 0),
    binary: binary ? binaryGroups((columns[0] as Column).ranked, predicted, positive as number) : null,
  };
}

// The loops of prepareClassification, each in its own function so that V8 compiles them separately and early.

/** The index of the first probability outside [0, 1] or NaN, or −1. */
function firstBadProbability(probs: Float32Array): number {
  for (let j = 0; j < probs.length; j++) {
    const p = probs[j] as number;
    if (!(p >= 0 && p <= 1)) return j;
  }
  return -1;
}

/** Copies the labels, −1 for those outside 0…k−1; returns how many those are. */
function keepLabels(labels: Int32Array, k: number, kept: Int32Array): number {
  let excluded = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y >= 0 && y < k) kept[i] = y;
    else {
      kept[i] = -1;
      excluded++;
    }
  }
  return excluded;
}

/** Each row's log loss (clipped, renormalized) and Brier term (binary: of the positive class; else over all classes). */
function rowTerms(kept: Int32Array, probs: Float32Array, k: number, eps: number, positive: number, rowLoss: Float64Array, rowBrier: Float64Array): void {
  for (let i = 0; i < kept.length; i++) {
    const y = kept[i] as number;
    if (y < 0) continue;
    let sum = 0;
    let brier = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[i * k + c] as number;
      sum += Math.min(1 - eps, Math.max(eps, p));
      const d = p - (c === y ? 1 : 0);
      brier += d * d;
    }
    rowLoss[i] = -Math.log(Math.min(1 - eps, Math.max(eps, probs[i * k + y] as number)) / sum);
    if (positive >= 0) {
      const d = (probs[i * 2 + positive] as number) - (y === positive ? 1 : 0);
      rowBrier[i] = d * d;
    } else {
      rowBrier[i] = brier;
    }
  }
}

function binaryGroups(ranked: RankedScores, predicted: Int32Array, positive: number): BinaryGroups {
  const lastOfGroup = new Uint8Array(ranked.order.length);
  let positiveEnd = 0;
  let start = 0;
  for (let g = 0; g < ranked.ends.length; g++) {
    const end = ranked.ends[g] as number;
    lastOfGroup[end - 1] = 1;
    if (predicted[ranked.order[start] as number] === positive) positiveEnd = end;
    start = end;
  }
  return { lastOfGroup, positiveEnd };
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i] as number)) return false;
  return true;
}

function oneVsRest(kept: Int32Array, c: number, classOf: Int8Array): void {
  for (let i = 0; i < kept.length; i++) {
    const y = kept[i] as number;
    classOf[i] = y < 0 ? -1 : y === c ? 1 : 0;
  }
}

function topLabelTerms(kept: Int32Array, probs: Float32Array, k: number, predicted: Int32Array, confidence: Float32Array, classOf: Int8Array): void {
  for (let i = 0; i < kept.length; i++) {
    const top = predicted[i] as number;
    const y = kept[i] as number;
    confidence[i] = probs[i * k + top] as number;
    classOf[i] = y < 0 ? -1 : y === top ? 1 : 0;
  }
}

function inSortedOrder(
  order: Int32Array,
  kept: Int32Array,
  predicted: Int32Array,
  k: number,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  cell: Int32Array,
  loss: Float64Array,
  brier: Float64Array,
): void {
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    const y = kept[i] as number;
    cell[j] = y < 0 ? -1 : y * k + (predicted[i] as number);
    loss[j] = rowLoss[i] as number;
    brier[j] = rowBrier[i] as number;
  }
}
