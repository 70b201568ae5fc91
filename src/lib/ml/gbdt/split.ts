// The best split of a node from its histogram: numeric thresholds scanned both ways for missing values, categorical splits by sorted gradient statistics.
import { BINS, SLOTS } from './histogram.ts';
import { MISSING_BIN } from './types.ts';

/** What the splitter knows about the columns and the limits on a split. */
export interface SplitContext {
  columns: number;
  /** Value bins per column (the missing bin not counted). */
  valueBins: Int32Array;
  /** 1 when the column had missing values in the training rows. */
  hasMissing: Uint8Array;
  categorical: Uint8Array;
  l2: number;
  minSamplesLeaf: number;
  /** scikit-learn's min_hessian_to_split (1e-3). */
  minHessian: number;
}

export interface SplitInfo {
  gain: number;
  feature: number;
  /** Numeric: bins ≤ bin go left. */
  bin: number;
  missingLeft: boolean;
  /** Categorical: the bins that go left (8 words), else null. */
  leftBins: Uint32Array | null;
  gradientLeft: number;
  hessianLeft: number;
  countLeft: number;
  gradientRight: number;
  hessianRight: number;
  countRight: number;
}

/** Categories with fewer (hessian-scaled) rows are left out of a categorical split's ordering, as scikit-learn. */
export const MIN_CATEGORY_SUPPORT = 10;
/** Smoothing added to a category's hessian sum when ordering categories. */
export const CATEGORY_SMOOTHING = 10;

/** A node's value before shrinkage: −G / (H + λ + 1e−15), scikit-learn's `compute_node_value`. */
export function nodeValue(gradient: number, hessian: number, l2: number): number {
  return -gradient / (hessian + l2 + 1e-15);
}

/**
 * The loss reduction of a split, G²/(H + λ) summed over the children minus the parent's, computed as
 * scikit-learn does (loss = G · value) so that near-ties break the same way.
 */
export function splitGain(gl: number, hl: number, gr: number, hr: number, g: number, h: number, l2: number): number {
  let gain = g * nodeValue(g, h, l2);
  gain -= gl * nodeValue(gl, hl, l2);
  gain -= gr * nodeValue(gr, hr, l2);
  return gain;
}

function emptySplit(): SplitInfo {
  return {
    gain: -1, feature: -1, bin: 0, missingLeft: false, leftBins: null,
    gradientLeft: 0, hessianLeft: 0, countLeft: 0, gradientRight: 0, hessianRight: 0, countRight: 0,
  };
}

function record(best: SplitInfo, gain: number, feature: number, bin: number, missingLeft: boolean, gl: number, hl: number, nl: number, g: number, h: number, n: number): void {
  best.gain = gain;
  best.feature = feature;
  best.bin = bin;
  best.missingLeft = missingLeft;
  best.leftBins = null;
  best.gradientLeft = gl;
  best.hessianLeft = hl;
  best.countLeft = nl;
  best.gradientRight = g - gl;
  best.hessianRight = h - hl;
  best.countRight = n - nl;
}

/**
 * The split with the largest positive gain over every column (the first column wins a tie), or a split with
 * gain −1 when none meets min_samples_leaf and the hessian floor. `g`, `h`, `n`: the node's sums.
 */
export function findBestSplit(hist: Float64Array, ctx: SplitContext, g: number, h: number, n: number): SplitInfo {
  const best = emptySplit();
  for (let j = 0; j < ctx.columns; j++) {
    if (ctx.categorical[j]) categoricalSplit(hist, ctx, j, g, h, n, best);
    else numericSplit(hist, ctx, j, g, h, n, best);
  }
  return best;
}

function numericSplit(hist: Float64Array, ctx: SplitContext, j: number, g: number, h: number, n: number, best: SplitInfo): void {
  const { l2, minSamplesLeaf, minHessian } = ctx;
  const offset = j * BINS * SLOTS;
  const valueBins = ctx.valueBins[j]!;
  const hasMissing = ctx.hasMissing[j] === 1;
  // Left to right, missing values to the right; with missing values the last value bin too (all values left, missing right).
  const end = hasMissing ? valueBins : valueBins - 1;
  let gl = 0;
  let hl = 0;
  let nl = 0;
  for (let b = 0; b < end; b++) {
    const slot = offset + b * SLOTS;
    gl += hist[slot]!;
    hl += hist[slot + 1]!;
    nl += hist[slot + 2]!;
    if (nl < minSamplesLeaf) continue;
    if (n - nl < minSamplesLeaf) break;
    if (hl < minHessian) continue;
    if (h - hl < minHessian) break;
    const gain = splitGain(gl, hl, g - gl, h - hl, g, h, l2);
    if (gain > best.gain && gain > 0) record(best, gain, j, b, false, gl, hl, nl, g, h, n);
  }
  if (!hasMissing) return;
  // Right to left, missing values to the left.
  let gr = 0;
  let hr = 0;
  let nr = 0;
  for (let b = valueBins - 2; b >= 0; b--) {
    const slot = offset + (b + 1) * SLOTS;
    gr += hist[slot]!;
    hr += hist[slot + 1]!;
    nr += hist[slot + 2]!;
    if (nr < minSamplesLeaf) continue;
    if (n - nr < minSamplesLeaf) break;
    if (hr < minHessian) continue;
    if (h - hr < minHessian) break;
    const gain = splitGain(g - gr, h - hr, gr, hr, g, h, l2);
    if (gain > best.gain && gain > 0) record(best, gain, j, b, true, g - gr, h - hr, n - nr, g, h, n);
  }
}

/**
 * scikit-learn's categorical split: the categories (missing values as one more) with enough support, sorted
 * by G / (H + 10); the left child takes a prefix or a suffix of that order of at most half of them.
 */
function categoricalSplit(hist: Float64Array, ctx: SplitContext, j: number, g: number, h: number, n: number, best: SplitInfo): void {
  const { l2, minSamplesLeaf, minHessian } = ctx;
  const offset = j * BINS * SLOTS;
  const support = n / h;
  const used: number[] = [];
  const value = new Float64Array(BINS);
  const consider = (b: number) => {
    const slot = offset + b * SLOTS;
    const hb = hist[slot + 1]!;
    if (hist[slot + 2]! > 0 && hb * support >= MIN_CATEGORY_SUPPORT) {
      used.push(b);
      value[b] = hist[slot]! / (hb + CATEGORY_SMOOTHING);
    }
  };
  for (let b = 0; b < ctx.valueBins[j]!; b++) consider(b);
  if (ctx.hasMissing[j]) consider(MISSING_BIN);
  if (used.length <= 1) return;
  used.sort((a, b) => value[a]! - value[b]! || a - b);
  const m = used.length;
  let bestGain = -1;
  let bestEnd = -1;
  let bestDirection = 0;
  let bgl = 0;
  let bhl = 0;
  let bnl = 0;
  for (const direction of [1, -1]) {
    const middle = direction === 1 ? (m + 1) >> 1 : ((m + 1) >> 1) - 1;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i < middle; i++) {
      const sorted = direction === 1 ? i : m - 1 - i;
      const slot = offset + used[sorted]! * SLOTS;
      gl += hist[slot]!;
      hl += hist[slot + 1]!;
      nl += hist[slot + 2]!;
      if (nl < minSamplesLeaf || hl < minHessian) continue;
      if (n - nl < minSamplesLeaf || h - hl < minHessian) break;
      const gain = splitGain(gl, hl, g - gl, h - hl, g, h, l2);
      if (gain > bestGain) {
        bestGain = gain;
        bestEnd = sorted;
        bestDirection = direction;
        bgl = gl;
        bhl = hl;
        bnl = nl;
      }
    }
  }
  if (bestEnd < 0 || !(bestGain > best.gain && bestGain > 0)) return;
  const leftBins = new Uint32Array(8);
  const from = bestDirection === 1 ? 0 : bestEnd;
  const to = bestDirection === 1 ? bestEnd : m - 1;
  for (let i = from; i <= to; i++) {
    const b = used[i]!;
    leftBins[b >>> 5]! |= 1 << (b & 31);
  }
  record(best, bestGain, j, 0, false, bgl, bhl, bnl, g, h, n);
  best.leftBins = leftBins;
  best.missingLeft = ((leftBins[MISSING_BIN >>> 5]! >>> (MISSING_BIN & 31)) & 1) === 1;
}

/** Whether bin `b` goes left at a categorical split. */
export function inLeftBins(leftBins: Uint32Array, b: number): boolean {
  return ((leftBins[b >>> 5]! >>> (b & 31)) & 1) === 1;
}
