// Evaluation metrics for classification and regression, and the dummy baselines they are compared with.
import { AppError } from './errors.ts';
import type { ClassificationMetrics, RegressionMetrics } from './types.ts';

const EPS = 1e-15;
const MAX_ROC_POINTS = 200;
const MAX_RESIDUALS = 2000;

/**
 * ROC AUC from scores and 0/1 labels by average ranks (Mann–Whitney U), so tied scores count half.
 * NaN when one of the two groups is empty.
 */
export function rocAuc(scores: Float64Array, positive: Uint8Array): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const rank = (i + j + 2) / 2; // average of 1-based ranks i+1 … j+1
    for (let k = i; k <= j; k++) {
      if (positive[order[k] as number]) {
        nPos++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Points of the ROC curve (one per distinct threshold, thinned to about 200), from (0,0) to (1,1). */
export function rocCurve(scores: Float64Array, positive: Uint8Array): { fpr: number; tpr: number }[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += positive[i] as number;
  const nNeg = n - nPos;
  const points = [{ fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    const row = order[i] as number;
    if (positive[row]) tp++;
    else fp++;
    const next = order[i + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      points.push({ fpr: nNeg ? fp / nNeg : 0, tpr: nPos ? tp / nPos : 0 });
    }
  }
  if (points.length <= MAX_ROC_POINTS) return points;
  const step = (points.length - 1) / (MAX_ROC_POINTS - 1);
  return Array.from({ length: MAX_ROC_POINTS }, (_, k) => points[Math.round(k * step)] as { fpr: number; tpr: number });
}

/**
 * Classification metrics from true class indices and predicted probabilities (n × k, row-major).
 * Rows whose label is outside 0…k-1 (an unseen or missing class) are left out.
 */
export function classificationMetrics(yTrue: Int32Array, probs: Float32Array, classes: string[]): ClassificationMetrics {
  const k = classes.length;
  if (k < 2) throw new AppError('bad-argument', `Classification needs at least two classes, got ${k}`);
  if (probs.length !== yTrue.length * k) {
    throw new AppError('bad-argument', `Got ${probs.length} probabilities for ${yTrue.length} rows × ${k} classes`);
  }
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const kept: number[] = [];
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i] as number;
    if (!(y >= 0 && y < k)) continue;
    kept.push(i);
    let best = 0;
    for (let c = 1; c < k; c++) if ((probs[i * k + c] as number) > (probs[i * k + best] as number)) best = c;
    (confusion[y] as number[])[best] = ((confusion[y] as number[])[best] as number) + 1;
    if (best === y) correct++;
    const p = Math.min(1 - EPS, Math.max(EPS, probs[i * k + y] as number));
    loss -= Math.log(p);
  }
  const n = kept.length;
  let f1Sum = 0;
  let f1Count = 0;
  for (let c = 0; c < k; c++) {
    const tp = (confusion[c] as number[])[c] as number;
    let actual = 0;
    let predicted = 0;
    for (let o = 0; o < k; o++) {
      actual += (confusion[c] as number[])[o] as number;
      predicted += (confusion[o] as number[])[c] as number;
    }
    if (actual + predicted === 0) continue; // a class absent from both truth and predictions
    f1Sum += (2 * tp) / (actual + predicted);
    f1Count++;
  }
  const scores = new Float64Array(n);
  const positive = new Uint8Array(n);
  const aucFor = (c: number): number => {
    for (let j = 0; j < n; j++) {
      const i = kept[j] as number;
      scores[j] = probs[i * k + c] as number;
      positive[j] = yTrue[i] === c ? 1 : 0;
    }
    return rocAuc(scores, positive);
  };
  const metrics: ClassificationMetrics = {
    accuracy: n ? correct / n : NaN,
    macroF1: f1Count ? f1Sum / f1Count : NaN,
    rocAuc: NaN,
    logLoss: n ? loss / n : NaN,
    confusion,
    classes: classes.slice(),
  };
  if (k === 2) {
    metrics.rocAuc = aucFor(1);
    metrics.rocCurve = rocCurve(scores, positive);
  } else {
    let sum = 0;
    let count = 0;
    for (let c = 0; c < k; c++) {
      const auc = aucFor(c);
      if (!Number.isNaN(auc)) {
        sum += auc;
        count++;
      }
    }
    metrics.rocAuc = count ? sum / count : NaN;
  }
  return metrics;
}

/** RMSE, MAE and R² of predictions, with an evenly spaced sample of at most 2,000 points for a residual plot. */
export function regressionMetrics(
  yTrue: Float32Array | Float64Array,
  yPred: Float32Array | Float64Array,
): RegressionMetrics {
  if (yTrue.length !== yPred.length) {
    throw new AppError('bad-argument', `Got ${yPred.length} predictions for ${yTrue.length} rows`);
  }
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] as number;
  mean /= n || 1;
  let se = 0;
  let ae = 0;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i] as number;
    const d = y - (yPred[i] as number);
    se += d * d;
    ae += Math.abs(d);
    ss += (y - mean) * (y - mean);
  }
  const step = Math.max(1, n / MAX_RESIDUALS);
  const residuals: RegressionMetrics['residuals'] = [];
  for (let s = 0; Math.floor(s) < n && residuals.length < MAX_RESIDUALS; s += step) {
    const i = Math.floor(s);
    residuals.push({ predicted: yPred[i] as number, actual: yTrue[i] as number });
  }
  return {
    rmse: n ? Math.sqrt(se / n) : NaN,
    mae: n ? ae / n : NaN,
    r2: ss > 0 ? 1 - se / ss : se === 0 ? 1 : 0,
    residuals,
  };
}

/** The majority-class baseline: every test row gets the training class frequencies as probabilities. */
export function dummyClassification(trainLabels: Int32Array, testLabels: Int32Array, classes: string[]): ClassificationMetrics {
  const k = classes.length;
  const freq = new Float64Array(k);
  let n = 0;
  for (const y of trainLabels) {
    if (y >= 0 && y < k) {
      freq[y] = (freq[y] as number) + 1;
      n++;
    }
  }
  const probs = new Float32Array(testLabels.length * k);
  for (let i = 0; i < testLabels.length; i++) {
    for (let c = 0; c < k; c++) probs[i * k + c] = n ? (freq[c] as number) / n : 1 / k;
  }
  return classificationMetrics(testLabels, probs, classes);
}

/** The mean baseline: every test row is predicted as the training mean. */
export function dummyRegression(trainY: Float32Array | Float64Array, testY: Float32Array | Float64Array): RegressionMetrics {
  let sum = 0;
  for (const y of trainY) sum += y;
  const mean = trainY.length ? sum / trainY.length : 0;
  return regressionMetrics(testY, new Float64Array(testY.length).fill(mean));
}
