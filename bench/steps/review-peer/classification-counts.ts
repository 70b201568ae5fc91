// Classification counts: the weighted walk into the confusion matrix and loss sums, then per-class and averaged precision/recall/F1. [bench peer: src/lib/pipeline/review/classification-counts.ts as of commit 623ec30, before the review speed work]
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { Column, PreparedClassification } from './classification-prepare.ts';
import type { RankedScores } from './ranking.ts';
import { f1Of } from '../../../src/lib/pipeline/review/threshold.ts';

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
  walk(column.ranked, prep.cell, prep.loss, prep.brier, weights, column.pos, column.neg, confusion, sums);
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
