// Classification counts: the weighted walk into the confusion matrix and loss sums, then per-class and averaged precision/recall/F1.
import { AppError } from '../errors.ts';
import type { BinaryGroups, Column, PreparedClassification } from './classification-prepare.ts';
import type { RankedScores } from './ranking.ts';
import { f1Of } from './threshold.ts';

export interface ClassMetrics {
  class: string;
  /** TP / (TP + FP); 0 when the class is never predicted (scikit-learn's zero_division=0). */
  precision: number;
  /** TP / support; 0 when the class has no rows. */
  recall: number;
  /** 2PR / (P + R); 0 when both are 0. */
  f1: number;
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface Tally {
  m: number;
  excluded: number;
  confusion: Float64Array;
  loss: number;
  brier: number;
}

/**
 * One walk of the first column's sorted order, each row weighted by its multiplicity: the confusion matrix and the
 * loss sums, and that column's positives and negatives per distinct score (left in its buffers).
 */
export function tally(prep: PreparedClassification, weights: Int32Array | null): Tally {
  const column = prep.columns[0] as Column;
  const confusion = new Float64Array(prep.k * prep.k);
  const sums = new Float64Array(4);
  if (weights && prep.finiteTerms) {
    walkWeighted(column.ranked, prep.cell, prep.loss, prep.brier, weights, column.pos, column.neg, confusion, sums);
  } else {
    walk(column.ranked, prep.cell, prep.loss, prep.brier, weights, column.pos, column.neg, confusion, sums);
  }
  const [m = 0, excluded = 0, loss = 0, brier = 0] = sums;
  if (m === 0) throw new AppError('bad-argument', 'None of the resampled rows has a label among the classes');
  return { m, excluded, confusion, loss, brier };
}

/** The loop of `tally`, on its own so that V8 optimizes it whole (sums: rows, excluded rows, log loss, Brier). */
function walk(
  ranked: RankedScores,
  cell: Int32Array,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  weights: Int32Array | null,
  pos: Float64Array,
  neg: Float64Array,
  confusion: Float64Array,
  sums: Float64Array,
): void {
  const { order, ends, label } = ranked;
  let m = 0;
  let excluded = 0;
  let loss = 0;
  let brier = 0;
  let j = 0;
  for (let g = 0; g < ends.length; g++) {
    const end = ends[g] as number;
    let p = 0;
    let q = 0;
    for (; j < end; j++) {
      const w = weights === null ? 1 : (weights[order[j] as number] as number);
      const c = cell[j] as number;
      if (c < 0) excluded += w;
      else if (w > 0) {
        if (label[j] === 1) p += w;
        else q += w;
        confusion[c] = (confusion[c] as number) + w;
        loss += w * (rowLoss[j] as number);
        brier += w * (rowBrier[j] as number);
      }
    }
    pos[g] = p;
    neg[g] = q;
    m += p + q;
  }
  sums[0] = m;
  sums[1] = excluded;
  sums[2] = loss;
  sums[3] = brier;
}

/**
 * `walk` over a resample's multiplicities when every row's loss and Brier terms are finite, without a branch on the
 * weight: a row drawn 0 times adds 0 · term = +0 to the sums (no change, bit for bit) and 0 to the integer counts, so
 * the sums are the same additions in the same order. Counts are kept in int32 (exact, as the float64 sums of whole
 * numbers they replace).
 */
function walkWeighted(
  ranked: RankedScores,
  cell: Int32Array,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  weights: Int32Array,
  pos: Float64Array,
  neg: Float64Array,
  confusion: Float64Array,
  sums: Float64Array,
): void {
  const { order, ends, label } = ranked;
  const counts = new Int32Array(confusion.length);
  let m = 0;
  let excluded = 0;
  let loss = 0;
  let brier = 0;
  let j = 0;
  for (let g = 0; g < ends.length; g++) {
    const end = ends[g] as number;
    let p = 0;
    let q = 0;
    for (; j < end; j++) {
      const w = weights[order[j] as number] as number;
      const c = cell[j] as number;
      if (c < 0) {
        excluded += w;
        continue;
      }
      const y = label[j] as number; // 1 or 0: the row has a label
      p += w & -y;
      q += w & (y - 1);
      counts[c] = (counts[c] as number) + w;
      loss += w * (rowLoss[j] as number);
      brier += w * (rowBrier[j] as number);
    }
    pos[g] = p;
    neg[g] = q;
    m += p + q;
  }
  for (let c = 0; c < counts.length; c++) confusion[c] = counts[c] as number;
  sums[0] = m;
  sums[1] = excluded;
  sums[2] = loss;
  sums[3] = brier;
}

/**
 * `tally` of a binary resample of `drawn` rows counted in bytes (`multiplicity8`) with finite terms: one flat walk of
 * the sorted rows (a group of equal scores ends where `lastOfGroup` says; no loop per group), the same additions in the
 * same order as `walk` for the loss sums (a row drawn 0 times, or left out with its terms 0, adds +0), and whole
 * numbers for the rest: the groups predicted positive are those before `positiveEnd`, so the confusion matrix is the
 * positives and negatives before it and after it, and the rows left out are the drawn rows not counted.
 */
export function tallyBinary(prep: PreparedClassification, weights: Uint8Array, drawn: number): Tally {
  const column = prep.columns[0] as Column;
  const binary = prep.binary as BinaryGroups;
  const acc = new Float64Array(4); // loss, Brier, positives, negatives of the range walked last
  const next = walkRange(0, binary.positiveEnd, 0, column.ranked, binary.lastOfGroup, prep.loss, prep.brier, weights, column.pos, column.neg, acc);
  const [posAsPos = 0, negAsPos = 0] = acc.subarray(2);
  walkRange(binary.positiveEnd, prep.n, next, column.ranked, binary.lastOfGroup, prep.loss, prep.brier, weights, column.pos, column.neg, acc);
  const [loss = 0, brier = 0, posAsOther = 0, negAsOther = 0] = acc;
  const positive = prep.positive as number;
  const other = 1 - positive;
  const confusion = new Float64Array(4);
  confusion[positive * 2 + positive] = posAsPos;
  confusion[positive * 2 + other] = posAsOther;
  confusion[other * 2 + positive] = negAsPos;
  confusion[other * 2 + other] = negAsOther;
  const m = posAsPos + negAsPos + posAsOther + negAsOther;
  if (m === 0) throw new AppError('bad-argument', 'None of the resampled rows has a label among the classes');
  return { m, excluded: drawn - m, confusion, loss, brier };
}

/**
 * Sorted positions from … to − 1 (whole groups, the first being group g), weighted: each group's positives and
 * negatives into pos/neg, the loss sums carried on in `acc[0]`, `acc[1]`, the range's positives and negatives into
 * `acc[2]`, `acc[3]`. Branch-free: every position writes its group's running counts, which a group's last position
 * resets. Returns the next group.
 */
function walkRange(
  from: number,
  to: number,
  g: number,
  ranked: RankedScores,
  lastOfGroup: Uint8Array,
  rowLoss: Float64Array,
  rowBrier: Float64Array,
  weights: Uint8Array,
  pos: Float64Array,
  neg: Float64Array,
  acc: Float64Array,
): number {
  const { order, label } = ranked;
  let loss = acc[0] as number;
  let brier = acc[1] as number;
  let positives = 0;
  let negatives = 0;
  let p = 0;
  let q = 0;
  for (let j = from; j < to; j++) {
    const w = weights[order[j] as number] as number;
    const y = label[j] as number; // 1 positive, 0 negative, −1 left out
    const wp = w & -(y & ~(y >> 1));
    const wq = w & -((y + 1) & 1);
    p += wp;
    q += wq;
    positives += wp;
    negatives += wq;
    loss += w * (rowLoss[j] as number);
    brier += w * (rowBrier[j] as number);
    pos[g] = p;
    neg[g] = q;
    const last = lastOfGroup[j] as number;
    g += last;
    p &= last - 1;
    q &= last - 1;
  }
  acc[0] = loss;
  acc[1] = brier;
  acc[2] = positives;
  acc[3] = negatives;
  return g;
}

export interface Averages {
  perClass: ClassMetrics[];
  macro: AveragedMetrics;
  weighted: AveragedMetrics;
  accuracy: number;
  balancedAccuracy: number;
}

/** Per-class precision, recall and F1 with their averages, from the confusion matrix (scikit-learn, zero_division=0). */
export function averages(prep: PreparedClassification, t: Tally): Averages {
  const { k, classes } = prep;
  const perClass: ClassMetrics[] = [];
  const macro = { precision: 0, recall: 0, f1: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  let present = 0;
  let inTruth = 0;
  let recallSum = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = t.confusion[c * k + c] as number;
    correct += tp;
    let support = 0;
    let predictedCount = 0;
    for (let o = 0; o < k; o++) {
      support += t.confusion[c * k + o] as number;
      predictedCount += t.confusion[o * k + c] as number;
    }
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = f1Of(precision, recall);
    perClass.push({ class: classes[c] as string, precision, recall, f1, support });
    if (support > 0 || predictedCount > 0) {
      present++;
      macro.precision += precision;
      macro.recall += recall;
      macro.f1 += f1;
    }
    if (support > 0) {
      inTruth++;
      recallSum += recall;
    }
    weighted.precision += precision * support;
    weighted.recall += recall * support;
    weighted.f1 += f1 * support;
  }
  for (const key of ['precision', 'recall', 'f1'] as const) {
    macro[key] /= present;
    weighted[key] /= t.m;
  }
  return { perClass, macro, weighted, accuracy: correct / t.m, balancedAccuracy: recallSum / inTruth };
}
