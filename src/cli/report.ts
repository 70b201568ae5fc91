// report.json of `millrace run`: what was trained on what, how it scored, and against which baseline.
import { isTrees } from '../lib/ml/predictor.ts';
import { treeGainImportance } from '../lib/ml/trees/tree-importance.ts';
import type { RunOutput } from '../lib/ml/run.ts';
import type { BackendInfo } from '../lib/contracts/training.ts';
import type { PipelineSpec } from '../lib/pipeline/spec/types.ts';
import type { EvaluationReport } from '../lib/pipeline/review/report.ts';
import type { PermutationImportance } from '../lib/ml/review/importance.ts';
import { headlineMetrics } from '../lib/ml/trial.ts';

/** The headline numbers of a metrics object (the keys that apply to its task), without curves or samples. */
export const headline = headlineMetrics;

export interface ReportInput {
  data: string;
  /** Rows trained and tested on (after the Check stage's recipe). */
  rows: number;
  spec: PipelineSpec;
  backend: BackendInfo;
  run: RunOutput;
  /** The evaluation report of the test predictions (intervals, calibration, fairness, verdict). */
  evaluation: EvaluationReport;
  /** Permutation importance of each source column on the test rows. */
  importance: PermutationImportance;
  /** The Check stage: its summary line, rows before and after the recipe, and whether the data is the spec's (null: the spec names none). */
  check: { summary: string; rowsIn: number; rowsChecked: number; sha256Matches: boolean | null };
}

/** The report as a plain object; key order is fixed so that two runs diff cleanly. */
export function buildReport(input: ReportInput) {
  const { run } = input;
  const meanEpochMs = run.epochMs.length ? run.epochMs.reduce((a, b) => a + b, 0) / run.epochMs.length : 0;
  const metrics = run.evaluation.metrics;
  return {
    format: 'millrace.report/1',
    data: input.data,
    target: run.plan.target,
    task: run.plan.task,
    rows: input.rows,
    rowsWithTarget: run.split.train + run.split.test,
    split: run.split,
    splitKind: run.splitKind,
    seed: input.spec.split.seed,
    model: {
      ...run.params,
      reason: run.modelReason,
      // A search: its best trial's parameters refitted on the whole training split (refit=True), or why not.
      refit: run.refit ?? null,
      epochsRun: run.history.length,
      bestEpoch: run.bestEpoch,
      inputWidth: run.bundle.width,
      // Trees: what the trainer said (capped or constant columns, early stopping), and the gain importance.
      ...(isTrees(run.model) ? { notes: run.model.gbdt.notes, stoppedEarly: run.model.gbdt.stoppedEarly, gain: treeGainImportance(run.model) } : {}),
    },
    check: input.check,
    verdict: { passed: input.evaluation.verdict.passed, failures: input.evaluation.verdict.failures },
    // --champion: its headline on the same test rows, and the paired intervals of the model minus it (null without one).
    champion: input.evaluation.champion,
    vsChampion: input.evaluation.vsChampion
      ? Object.fromEntries(Object.entries(input.evaluation.vsChampion).map(([key, { estimate, low, high, level, resamples }]) => [key, { estimate, low, high, level, resamples }]))
      : null,
    ci: Object.fromEntries(Object.entries(input.evaluation.ci).map(([key, { estimate, low, high, level, resamples }]) => [key, { estimate, low, high, level, resamples }])),
    calibration: input.evaluation.calibration,
    importance: {
      metric: input.importance.metric,
      repeats: input.importance.repeats,
      columns: input.importance.columns.map(({ column, mean, std }) => ({ column, mean, std })),
    },
    fairness: Object.fromEntries(
      Object.entries(input.evaluation.fairness).map(([column, f]) => [
        column,
        {
          positiveClass: f.positiveClass,
          groups: f.groups.map((g) => ({ ...g })),
          tooFew: f.tooFew,
          demographicParityRatio: f.disparities?.demographicParityRatio.estimate ?? null,
          demographicParityDifference: f.disparities?.demographicParityDifference.estimate ?? null,
          equalizedOddsDifference: f.disparities?.equalizedOddsDifference.estimate ?? null,
          equalizedOddsRatio: f.disparities?.equalizedOddsRatio.estimate ?? null,
          ...(f.noDisparities ? { noDisparities: f.noDisparities } : {}),
        },
      ]),
    ),
    backend: input.backend.backend,
    backendReason: input.backend.reason,
    metrics: headline(metrics),
    baseline: headline(run.evaluation.baseline),
    ...('confusion' in metrics ? { classes: metrics.classes, confusion: metrics.confusion } : {}),
    features: run.plan.features,
    dropped: run.plan.dropped,
    featureSet: run.featureSet,
    leaderboard: run.leaderboard?.map(({ history: _history, ...trial }) => trial) ?? null,
    cv: run.cv ?? null,
    history: run.history,
    timing: {
      durationMs: Math.round(run.durationMs),
      meanEpochMs: Math.round(meanEpochMs * 10) / 10,
      ...(run.searchMs !== undefined ? { searchMs: Math.round(run.searchMs) } : {}),
    },
  };
}

/** One line for the terminal: the main metric next to the baseline. */
export function summaryLine(report: ReturnType<typeof buildReport>, outDir: string): string {
  const pick = report.task === 'regression' ? (['r2', 'rmse'] as const) : (['accuracy', 'macroF1'] as const);
  const parts = pick.map((key) => `${key} ${report.metrics[key]?.toFixed(4)} (baseline ${report.baseline[key]?.toFixed(4)})`);
  const cv = report.cv ? `; ${report.cv.folds}-fold CV ${report.cv.metric} ${report.cv.mean.toFixed(4)} ± ${report.cv.std.toFixed(4)}` : '';
  const refit = report.model.refit;
  const refitted = refit ? (refit.refitted ? `, refitted on all ${refit.rows} training rows` : ', not refitted (cancelled)') : '';
  const search = report.leaderboard ? `; best of ${report.leaderboard.length} search trials${refitted}` : '';
  return `millrace: ${report.task} ${report.model.kind} on ${report.target}: ${parts.join(', ')}${cv}${search}; wrote ${outDir}/report.json and ${outDir}/model/`;
}
