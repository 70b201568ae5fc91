// The metrics permutation importance can be measured in, the default per task, and their scorers over logits. [bench peer: src/lib/ml/review/scorers.ts as of commit 623ec30, before the review speed work]
import type { TaskKind } from '../../../src/lib/pipeline/types.ts';
import { fastRocAuc } from './fast-rank.ts';

/** The metrics importance can be measured in, the tasks each applies to, and which way is better. */
export const IMPORTANCE_METRICS = {
  accuracy: { higherIsBetter: true, tasks: ['binary', 'multiclass'] },
  rocAuc: { higherIsBetter: true, tasks: ['binary', 'multiclass'] },
  logLoss: { higherIsBetter: false, tasks: ['binary', 'multiclass'] },
  r2: { higherIsBetter: true, tasks: ['regression'] },
  rmse: { higherIsBetter: false, tasks: ['regression'] },
  mae: { higherIsBetter: false, tasks: ['regression'] },
} as const satisfies Record<string, { higherIsBetter: boolean; tasks: readonly TaskKind[] }>;

export type ImportanceMetric = keyof typeof IMPORTANCE_METRICS;

/**
 * The metric importance is measured in by default: the task's headline metric (ROC AUC for binary, accuracy for
 * multiclass, as runs are ranked), with R² instead of RMSE for regression (scikit-learn's default scorer for
 * regressors: scale-free, so drops compare across targets). scikit-learn's default for every classifier is
 * accuracy; pass `metric: 'accuracy'` to match it on a binary task (a 0.5 threshold hides columns that only
 * reorder the scores, which AUC sees).
 */
export function defaultImportanceMetric(task: TaskKind): ImportanceMetric {
  return task === 'regression' ? 'r2' : task === 'binary' ? 'rocAuc' : 'accuracy';
}

const EPS = 1e-15;

/** Softmax of each row of logits (n × k), in float64. */
function softmaxRows(z: Float32Array, k: number): Float64Array {
  const p = new Float64Array(z.length);
  for (let o = 0; o < z.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[o + c] as number);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += p[o + c] = Math.exp((z[o + c] as number) - max);
    for (let c = 0; c < k; c++) p[o + c] = (p[o + c] as number) / sum;
  }
  return p;
}

/**
 * A function giving the metric of the model's logits (n × units; values for regression) against `target`
 * (class indices, or values), with what depends only on the targets worked out once. Accuracy and binary AUC
 * read the logits directly (the sigmoid and softmax keep their order).
 */
export function scorer(metric: ImportanceMetric, task: TaskKind, target: Float64Array, classCount: number): (z: Float32Array) => number {
  const n = target.length;
  if (task === 'regression') {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += target[i] as number;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((target[i] as number) - mean) ** 2;
    return (z) => {
      let se = 0;
      let ae = 0;
      for (let i = 0; i < n; i++) {
        const d = (target[i] as number) - (z[i] as number);
        se += d * d;
        ae += Math.abs(d);
      }
      if (metric === 'rmse') return Math.sqrt(se / n);
      if (metric === 'mae') return ae / n;
      return ss > 0 ? 1 - se / ss : se === 0 ? 1 : 0;
    };
  }
  const k = task === 'binary' ? 2 : classCount;
  const positives = Array.from({ length: k }, (_, c) => {
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) flags[i] = target[i] === c ? 1 : 0;
    return flags;
  });
  if (metric === 'accuracy') {
    return (z) => {
      let right = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        if (task === 'binary') best = (z[i] as number) > 0 ? 1 : 0;
        else for (let c = 1; c < k; c++) if ((z[i * k + c] as number) > (z[i * k + best] as number)) best = c;
        if (best === target[i]) right++;
      }
      return right / n;
    };
  }
  if (metric === 'rocAuc' && task === 'binary') return (z) => fastRocAuc(z, positives[1] as Uint8Array);
  const probabilities = (z: Float32Array) => (task === 'binary' ? Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v))) : softmaxRows(z, k));
  if (metric === 'logLoss') {
    return (z) => {
      const p = probabilities(z);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const y = target[i] as number;
        const py = task === 'binary' ? (y === 1 ? (p[i] as number) : 1 - (p[i] as number)) : (p[i * k + y] as number);
        loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, py)));
      }
      return loss / n;
    };
  }
  // Multiclass ROC AUC: the macro one-vs-rest mean over the classes present, as metrics.ts computes it.
  const scores = new Float64Array(n);
  return (z) => {
    const p = probabilities(z);
    let sum = 0;
    let count = 0;
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < n; i++) scores[i] = p[i * k + c] as number;
      const auc = fastRocAuc(scores, positives[c] as Uint8Array);
      if (!Number.isNaN(auc)) {
        sum += auc;
        count++;
      }
    }
    return count ? sum / count : NaN;
  };
}
