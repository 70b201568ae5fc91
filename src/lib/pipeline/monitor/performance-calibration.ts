// Calibration for the label-free performance estimate: isotonic maps fitted on the model's test split, kept only when they lower the cross-validated ECE (NannyML's nannyml/calibration.py).
//
// Why isotonic and not histogram binning: it is what NannyML's CBPE uses (`IsotonicCalibrator`, the default of
// `CBPE(calibration='isotonic')` in nannyml/performance_estimation/confidence_based/cbpe.py); it is monotone, so the
// model's ranking (its ROC curve) and its decisions' order are kept; it needs no bin count; and its fitted map is two
// short arrays that store as JSON. The map is scikit-learn's `IsotonicRegression(out_of_bounds='clip',
// increasing=True)` transcribed: ties averaged (`_make_unique`), pool-adjacent-violators
// (`_inplace_contiguous_isotonic_regression`), redundant points trimmed, then linear interpolation between the kept
// points (`np.interp`) with scores clipped to the fitted range.
//
// Whether to calibrate is NannyML's `needs_calibration`: not when the labels have one class or the scores already
// separate them (ROC AUC > 0.999); else 10 stratified shuffle splits holding out 10% (scikit-learn's
// `StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=seed)`, seed 42 as NannyML's), an isotonic map
// fitted on each split's other 90%, and the ECE of the held-out scores before and after it, over their concatenation
// in 10 equal-count bins (`_get_bin_index_edges`, `_calculate_expected_calibration_error`): calibrate only when the
// ECE after is lower. A multiclass model gets one map per class (one-vs-rest), each decided on its own, and the
// calibrated rows are renormalized to sum 1 (cbpe.py `_fit_calibrators`, `_calibrate_predicted_probabilities`).
// One difference: NannyML sorts scores for the ECE with numpy's default (unstable) argsort; here ties keep their
// order in the concatenation (numpy's `kind='stable'`), which only matters where a tie straddles a bin edge.
import { approximateMode } from '../split.ts';
import { AppError } from '../errors.ts';
import { NumpyRandomState } from '../numpy-random.ts';
import { rocAucOf } from '../review/ranking.ts';

/** Class probabilities as n × k row-major (binary: k = 2, [P(class 0), P(class 1)]). */
export interface ProbabilityRows { n: number; k: number; probabilities: Float32Array | Float64Array }

/** A fitted isotonic map: scikit-learn's `X_thresholds_` and `y_thresholds_` (scores outside [x₀, x_last] are clipped). */
export interface IsotonicMap { x: number[]; y: number[] }

/** One calibrated column: binary the positive class's, multiclass each class's (one-vs-rest). */
export interface ClassCalibration {
  class: number;
  used: boolean;
  /** Cross-validated ECE of the column's scores as they are, and after an isotonic map fitted on the other rows. */
  eceBefore: number;
  eceAfter: number;
  /** Why it is (not) used, in words. */
  reason: string;
  /** Fitted on all test rows when used, else null. */
  map: IsotonicMap | null;
}

/**
 * A calibration fitted on the model's test split. `used` is false when calibrating does not lower the ECE (for a
 * multiclass model: for no class); applying it is then the identity. JSON-serialisable (stored in IndexedDB).
 */
export interface FittedCalibration {
  used: boolean;
  /** Binary: the positive column's cross-validated ECE; multiclass: the mean over the classes' one-vs-rest ECEs. */
  eceBefore: number;
  eceAfter: number;
  /** 'isotonic' (per class, one-vs-rest, for more than two classes). */
  method: string;
  /** The number of classes the map was fitted for. */
  k: number;
  /** Binary: the column calibrated (the positive class; the other is 1 − it); null for more classes. */
  positive: number | null;
  /** The seed of the stratified shuffle splits. */
  seed: number;
  classes: ClassCalibration[];
}

/** NannyML's random_state of the shuffle splits. */
export const CALIBRATION_SEED = 42;
const SPLITS = 10;
const HOLD_OUT = 0.1;
const ECE_BINS = 10;
/** Row sums may be off 1 by this much (float32 rounding, a softmax). */
export const SUM_TOLERANCE = 1e-3;

/** Refuses rows that are not n × k probabilities in [0, 1] summing to 1 within 1e-3, naming the row and class. */
export function checkProbabilityRows(rows: ProbabilityRows, what: string): void {
  const { n, k, probabilities } = rows;
  if (!(Number.isInteger(n) && n >= 0)) throw new AppError('bad-argument', `The ${what} needs a whole number of rows, got ${String(n)}`);
  if (n === 0) throw new AppError('bad-argument', `The ${what} has no rows (n = 0)`);
  if (!(Number.isInteger(k) && k >= 2)) throw new AppError('bad-argument', `The ${what} needs probabilities of at least two classes, got k = ${String(k)}`);
  if (probabilities.length !== n * k) {
    throw new AppError('bad-argument', `The ${what} has ${probabilities.length} probabilities for ${n} rows × ${k} classes (${n * k} expected)`);
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[i * k + c] as number;
      if (Number.isNaN(p)) throw new AppError('bad-argument', `The ${what}'s probability of class ${c} in row ${i + 1} is NaN`, { row: i + 1 });
      if (!(p >= 0 && p <= 1)) throw new AppError('bad-argument', `The ${what}'s probability ${p} of class ${c} in row ${i + 1} is not in [0, 1]`, { row: i + 1 });
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new AppError('bad-argument', `The ${what}'s probabilities in row ${i + 1} sum to ${sum}, not 1 (within ${SUM_TOLERANCE})`, { row: i + 1 });
    }
  }
}

/** Refuses labels that do not match the rows or are not class indices 0 … k−1, naming the row. */
export function checkLabels(labels: Int32Array, n: number, k: number, what: string): void {
  if (labels.length !== n) throw new AppError('bad-argument', `Got ${labels.length} labels for ${n} rows of ${what}; they must match`);
  for (let i = 0; i < n; i++) {
    const y = labels[i] as number;
    if (!(y >= 0 && y < k)) throw new AppError('bad-argument', `Label ${y} in row ${i + 1} of ${what} is not a class index from 0 to ${k - 1}`, { row: i + 1 });
  }
}

/** scikit-learn's `_make_unique` resolution for float64 scores (`np.finfo(np.float64).resolution`). */
const UNIQUE_EPS = 1e-15;

/** The rows by score, then label (numpy's `lexsort((y, X))`), as `fitIsotonic` takes them. */
export function byScoreThenLabel(x: ArrayLike<number>, y: ArrayLike<number>, rows: ArrayLike<number>): Int32Array {
  return Int32Array.from(rows).sort((a, b) => (x[a] as number) - (x[b] as number) || (y[a] as number) - (y[b] as number));
}

/**
 * `IsotonicRegression(out_of_bounds='clip', increasing=True).fit(x[rows], y[rows])`'s thresholds, from the rows in
 * `byScoreThenLabel` order (so that cross-validation sorts once and filters).
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, order: Int32Array): IsotonicMap {
  const m = order.length;
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let cx = x[order[0] as number] as number;
  let cy = 0;
  let cw = 0;
  for (let j = 0; j < m; j++) {
    const i = order[j] as number;
    const v = x[i] as number;
    if (v - cx >= UNIQUE_EPS) {
      ux.push(cx);
      uy.push(cy / cw);
      uw.push(cw);
      cx = v;
      cw = 1;
      cy = y[i] as number;
    } else {
      cw += 1;
      cy += y[i] as number;
    }
  }
  ux.push(cx);
  uy.push(cy / cw);
  uw.push(cw);
  pav(uy, uw);
  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let j = 0; j < uy.length; j++) {
    const inner = j > 0 && j < uy.length - 1;
    if (!inner || uy[j] !== uy[j - 1] || uy[j] !== uy[j + 1]) {
      keptX.push(ux[j] as number);
      keptY.push(uy[j] as number);
    }
  }
  return { x: keptX, y: keptY };
}

/** scikit-learn's `_inplace_contiguous_isotonic_regression` (sklearn/_isotonic.pyx), step for step. */
function pav(y: number[], w: number[]): void {
  const n = y.length;
  const target = Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = (target[i] as number) + 1;
    if (k === n) break;
    if ((y[i] as number) < (y[k] as number)) {
      i = k;
      continue;
    }
    let sumWy = (w[i] as number) * (y[i] as number);
    let sumW = w[i] as number;
    for (;;) {
      const prevY = y[k] as number;
      sumWy += (w[k] as number) * (y[k] as number);
      sumW += w[k] as number;
      k = (target[k] as number) + 1;
      if (k === n || prevY < (y[k] as number)) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1] as number;
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = (target[i] as number) + 1;
    for (let j = i + 1; j < k; j++) y[j] = y[i] as number;
    i = k;
  }
}

/** The map at a score: clipped to the fitted range, then `np.interp` between the kept points. */
export function applyIsotonic(map: IsotonicMap, score: number): number {
  const { x, y } = map;
  const last = x.length - 1;
  if (last === 0) return y[0] as number;
  const v = Math.min(x[last] as number, Math.max(x[0] as number, score));
  let lo = 0;
  let hi = last;
  // The last j with x[j] ≤ v.
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((x[mid] as number) <= v) lo = mid;
    else hi = mid - 1;
  }
  const j = lo;
  if (j === last || x[j] === v) return y[j] as number;
  const slope = ((y[j + 1] as number) - (y[j] as number)) / ((x[j + 1] as number) - (x[j] as number));
  return slope * (v - (x[j] as number)) + (y[j] as number);
}

/**
 * scikit-learn 1.2's `StratifiedShuffleSplit(n_splits, test_size=holdOut, random_state=seed).split(X, y01)`, each
 * split's rows in the order it yields them; null when it would refuse (a class with one row, too few rows).
 */
export function stratifiedShuffleSplits(y01: Uint8Array, splits: number, holdOut: number, seed: number): { train: Int32Array; test: Int32Array }[] | null {
  const n = y01.length;
  const nTest = Math.ceil(holdOut * n);
  const nTrain = n - nTest;
  const members: number[][] = [[], []];
  for (let i = 0; i < n; i++) members[y01[i] as number]!.push(i);
  const classes = members.filter((m) => m.length > 0);
  const counts = classes.map((m) => m.length);
  if (Math.min(...counts) < 2 || nTrain < classes.length || nTest < classes.length) return null;
  const random = new NumpyRandomState(seed);
  const out: { train: Int32Array; test: Int32Array }[] = [];
  for (let s = 0; s < splits; s++) {
    const trainCounts = approximateMode(counts, nTrain, random);
    const testCounts = approximateMode(counts.map((c, i) => c - (trainCounts[i] as number)), nTest, random);
    const train: number[] = [];
    const test: number[] = [];
    classes.forEach((rows, c) => {
      const permutation = random.permutation(rows.length);
      const cut = trainCounts[c] as number;
      for (let j = 0; j < cut; j++) train.push(rows[permutation[j] as number] as number);
      for (let j = cut; j < cut + (testCounts[c] as number); j++) test.push(rows[permutation[j] as number] as number);
    });
    out.push({ train: random.shuffle(Int32Array.from(train)), test: random.shuffle(Int32Array.from(test)) });
  }
  return out;
}

/** NannyML's `_get_bin_index_edges`: equal-count bins over m sorted scores (fewer when m ≤ 20; null below 4). */
function binIndexEdges(m: number, binCount: number): number[] | null {
  let count = binCount;
  if (m <= 2 * count) {
    count = Math.floor(m / 2);
    if (count < 2) return null;
  }
  const width = Math.floor(m / count);
  const edges: number[] = [];
  for (let e = 0; e <= m; e += width) edges.push(e);
  edges[edges.length - 1] = m;
  return edges;
}

/** NannyML's `_calculate_expected_calibration_error` over equal-count bins of the scores sorted (ties in order). */
export function equalCountEce(y01: ArrayLike<number>, scores: ArrayLike<number>, bins = ECE_BINS): number {
  const m = scores.length;
  const edges = binIndexEdges(m, bins);
  if (!edges) return NaN;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let ece = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const from = edges[b] as number;
    const to = edges[b + 1] as number;
    let p = 0;
    let t = 0;
    for (let j = from; j < to; j++) {
      p += scores[order[j] as number] as number;
      t += y01[order[j] as number] as number;
    }
    ece += ((to - from) / m) * Math.abs(p / (to - from) - t / (to - from));
  }
  return ece;
}

/** NannyML's `needs_calibration` for one column, with the ECEs it compares and, when used, the map on all rows. */
function calibrateColumn(cls: number, y01: Uint8Array, scores: Float64Array, seed: number): ClassCalibration {
  const all = Int32Array.from({ length: y01.length }, (_, i) => i);
  const plain = equalCountEce(y01, scores);
  const skip = (reason: string): ClassCalibration => ({ class: cls, used: false, eceBefore: plain, eceAfter: plain, reason, map: null });
  const positives = y01.reduce((s, v) => s + v, 0);
  if (positives === 0 || positives === y01.length) return skip('the test labels have one class only: nothing to calibrate against');
  if (rocAucOf(y01, scores) > 0.999) return skip('the scores already separate the classes (ROC AUC above 0.999)');
  const splits = stratifiedShuffleSplits(y01, SPLITS, HOLD_OUT, seed);
  if (!splits) return skip('too few test rows of a class to cross-validate a calibration');
  const heldY: number[] = [];
  const before: number[] = [];
  const after: number[] = [];
  const order = byScoreThenLabel(scores, y01, all);
  const inTrain = new Uint8Array(y01.length);
  for (const { train, test } of splits) {
    inTrain.fill(0);
    for (const i of train) inTrain[i] = 1;
    const map = fitIsotonic(scores, y01, order.filter((i) => inTrain[i] === 1));
    for (const i of test) {
      heldY.push(y01[i] as number);
      before.push(scores[i] as number);
      after.push(applyIsotonic(map, scores[i] as number));
    }
  }
  const [eceBefore, eceAfter] = [equalCountEce(heldY, before), equalCountEce(heldY, after)];
  const used = eceAfter < eceBefore;
  return {
    class: cls,
    used,
    eceBefore,
    eceAfter,
    reason: used ? 'isotonic calibration lowers the cross-validated ECE' : 'isotonic calibration does not lower the cross-validated ECE',
    map: used ? fitIsotonic(scores, y01, order) : null,
  };
}

/**
 * Fits the calibration on the model's test split (its probabilities and labels): binary, an isotonic map of the
 * positive class's probability (`options.positive`, default 1); more classes, one map per class. Each is kept only
 * when it lowers the cross-validated ECE (see the header). Refuses bad rows or labels (AppError naming them).
 */
export function fitCalibration(test: ProbabilityRows, labels: Int32Array, options: { seed?: number; positive?: number } = {}): FittedCalibration {
  checkProbabilityRows(test, 'test split');
  checkLabels(labels, test.n, test.k, 'the test split');
  const { n, k, probabilities } = test;
  const seed = options.seed ?? CALIBRATION_SEED;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) throw new AppError('bad-argument', `The calibration seed must be a whole number from 0 to 4294967295, got ${String(seed)}`);
  const positive = k === 2 ? (options.positive ?? 1) : null;
  if (positive !== null && positive !== 0 && positive !== 1) throw new AppError('bad-argument', `The positive class must be 0 or 1, got ${String(positive)}`);
  const columns = positive !== null ? [positive] : Array.from({ length: k }, (_, c) => c);
  const classes = columns.map((c) => {
    const y01 = Uint8Array.from(labels, (y) => (y === c ? 1 : 0));
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = probabilities[i * k + c] as number;
    return calibrateColumn(c, y01, scores, seed);
  });
  const mean = (f: (c: ClassCalibration) => number) => classes.reduce((s, c) => s + f(c), 0) / classes.length;
  return {
    used: classes.some((c) => c.used),
    eceBefore: mean((c) => c.eceBefore),
    eceAfter: mean((c) => c.eceAfter),
    method: positive !== null ? 'isotonic' : 'isotonic (per class, one-vs-rest, rows renormalized)',
    k,
    positive,
    seed,
    classes,
  };
}

/**
 * The rows with the calibration applied (float64): binary, the positive column mapped and the other 1 − it; more
 * classes, each used class's column mapped and every row divided by its sum (uniform when it sums to 0). The same
 * rows when the calibration is not used.
 */
export function applyCalibration(rows: ProbabilityRows, calibration: FittedCalibration): ProbabilityRows {
  checkProbabilityRows(rows, 'batch');
  if (!calibration.used) return rows;
  const { n, k, probabilities } = rows;
  if (k !== calibration.k) throw new AppError('bad-argument', `The calibration was fitted for ${calibration.k} classes, the rows have ${k}`);
  const out = Float64Array.from(probabilities);
  if (calibration.positive !== null) {
    const map = calibration.classes[0]?.map;
    if (!map) return rows;
    const pos = calibration.positive;
    for (let i = 0; i < n; i++) {
      const q = applyIsotonic(map, probabilities[i * 2 + pos] as number);
      out[i * 2 + pos] = q;
      out[i * 2 + 1 - pos] = 1 - q;
    }
    return { n, k, probabilities: out };
  }
  for (const { class: c, map } of calibration.classes) {
    if (!map) continue;
    for (let i = 0; i < n; i++) out[i * k + c] = applyIsotonic(map, probabilities[i * k + c] as number);
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[i * k + c] as number;
    for (let c = 0; c < k; c++) out[i * k + c] = sum !== 0 ? (out[i * k + c] as number) / sum : 1 / k;
  }
  return { n, k, probabilities: out };
}
