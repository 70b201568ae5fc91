// The three losses as scikit-learn 1.2's half losses: baseline, gradients and hessians (float32), and the mean loss for early stopping.
import type { GbdtLoss } from './types.ts';

/** The training labels and weights, by position (0…n−1) among the rows being fitted or scored. */
export interface LossTarget {
  /** Class index per row (classification). */
  classes: Int32Array | null;
  /** Number per row (regression). */
  values: Float64Array | null;
  /** Sample weight per row, or null for 1. */
  weights: Float64Array | null;
  nClasses: number;
}

const EPS = 2.220446049250313e-16;

/** The constant raw prediction that minimises the loss (scikit-learn's `fit_intercept_only`), one per output. */
export function baselineOf(loss: GbdtLoss, target: LossTarget): number[] {
  const { weights } = target;
  const n = target.classes ? target.classes.length : target.values!.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i]! : 1;
  if (loss === 'squared_error') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (weights ? weights[i]! : 1) * target.values![i]!;
    return [sum / total];
  }
  const shares = new Float64Array(target.nClasses);
  for (let i = 0; i < n; i++) shares[target.classes![i]!]! += weights ? weights[i]! : 1;
  const p = Array.from(shares, (s) => Math.min(Math.max(s / total, EPS), 1 - EPS));
  if (loss === 'log_loss') return [Math.log(p[1]! / (1 - p[1]!))];
  const logs = p.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return logs.map((l) => l - mean);
}

function sigmoid(raw: number): number {
  return raw >= 0 ? 1 / (1 + Math.exp(-raw)) : Math.exp(raw) / (1 + Math.exp(raw));
}

/**
 * Gradients and hessians of the loss at `raw` (n rows × outputs, row-major), written per output:
 * gradient[k·n + i]. Weighted rows multiply both.
 */
export function gradientsInto(loss: GbdtLoss, raw: Float64Array, target: LossTarget, gradient: Float32Array, hessian: Float32Array): void {
  const { weights } = target;
  if (loss === 'squared_error') {
    const y = target.values!;
    for (let i = 0; i < y.length; i++) {
      const w = weights ? weights[i]! : 1;
      gradient[i] = w * (raw[i]! - y[i]!);
      hessian[i] = w;
    }
    return;
  }
  const y = target.classes!;
  const n = y.length;
  if (loss === 'log_loss') {
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      const p = sigmoid(raw[i]!);
      gradient[i] = w * (p - y[i]!);
      hessian[i] = w * p * (1 - p);
    }
    return;
  }
  const k = target.nClasses;
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    softmaxInto(raw, i * k, k, p);
    const label = y[i]!;
    for (let c = 0; c < k; c++) {
      const pc = p[c]!;
      gradient[c * n + i] = w * (pc - (c === label ? 1 : 0));
      hessian[c * n + i] = w * pc * (1 - pc);
    }
  }
}

/** Softmax of raw[offset … offset+k) into `out`. */
export function softmaxInto(raw: Float64Array, offset: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[offset + c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += out[c] = Math.exp(raw[offset + c]! - max);
  for (let c = 0; c < k; c++) out[c]! /= sum;
}

/** The weighted mean loss at `raw` (half squared error, log loss or softmax cross-entropy). */
export function meanLoss(loss: GbdtLoss, raw: Float64Array, target: LossTarget): number {
  const { weights } = target;
  let sum = 0;
  let total = 0;
  if (loss === 'squared_error') {
    const y = target.values!;
    for (let i = 0; i < y.length; i++) {
      const w = weights ? weights[i]! : 1;
      const d = raw[i]! - y[i]!;
      sum += w * 0.5 * d * d;
      total += w;
    }
    return sum / total;
  }
  const y = target.classes!;
  const k = loss === 'log_loss' ? 1 : target.nClasses;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    let l: number;
    if (k === 1) {
      const r = raw[i]!;
      l = (r > 0 ? r + Math.log1p(Math.exp(-r)) : Math.log1p(Math.exp(r))) - y[i]! * r;
    } else {
      const offset = i * k;
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, raw[offset + c]!);
      let s = 0;
      for (let c = 0; c < k; c++) s += Math.exp(raw[offset + c]! - max);
      l = max + Math.log(s) - raw[offset + y[i]!]!;
    }
    sum += w * l;
    total += w;
  }
  return sum / total;
}
