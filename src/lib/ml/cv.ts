// K-fold cross-validation on the training split: one seeded training per fold, the metric as mean ± std.
import type { TrainHooks } from './train.ts';
import type { CvResult, HeadlineKey, MeanStd, TrialParams } from '../contracts/training.ts';
import { headlineMetrics, primaryMetric, runTrial, type TrialContext } from './trial.ts';

export type { CvResult, MeanStd };

/** Mean and sample std (n − 1; 0 for one value) of the finite values. */
export function meanStd(values: number[]): MeanStd {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}

/**
 * Trains and evaluates `params` on each fold (features fitted on the fold's training rows only) and
 * summarizes the metrics. Models are disposed; stops early when `hooks.shouldStop` turns true.
 */
export async function crossValidate(
  context: TrialContext,
  params: TrialParams,
  folds: { train: Int32Array; test: Int32Array }[],
  strategy: string,
  hooks: TrainHooks = {},
): Promise<CvResult> {
  const started = performance.now();
  const perFold: CvResult['perFold'] = [];
  for (const [i, fold] of folds.entries()) {
    if (hooks.shouldStop?.()) break;
    const { outcome, evaluation, durationMs } = await runTrial(context, params, fold.train, fold.test, hooks);
    outcome.model.dispose();
    perFold.push({ fold: i + 1, train: fold.train.length, test: fold.test.length, metrics: evaluation ? headlineMetrics(evaluation.metrics) : {}, durationMs });
  }
  const keys = [...new Set(perFold.flatMap((f) => Object.keys(f.metrics)))] as HeadlineKey[];
  const summary: CvResult['summary'] = {};
  for (const key of keys) summary[key] = meanStd(perFold.map((f) => f.metrics[key] ?? NaN));
  const metric = primaryMetric(context.plan.task).key;
  const main = summary[metric] ?? { mean: NaN, std: NaN };
  return { folds: folds.length, strategy, metric, mean: main.mean, std: main.std, summary, perFold, durationMs: performance.now() - started };
}
