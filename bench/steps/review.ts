// Bench step `review`: reviewRun on the benchmark model's 198k test rows (metrics, bootstrap, calibration, fairness, importance) and Integrated Gradients for one row.
import type * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/lib/ml/backend-browser.ts';
import { attributeRow } from '../../src/lib/ml/review/attribution.ts';
import { permutationImportance } from '../../src/lib/ml/review/importance.ts';
import { baselineOutputs, testPredictions } from '../../src/lib/ml/review/predictions.ts';
import { reviewRun, type RunReview } from '../../src/lib/ml/review/review-run.ts';
import { trainModel } from '../../src/lib/ml/train.ts';
import { fitPlan } from '../../src/lib/pipeline/features/fit.ts';
import { bootstrap, differences } from '../../src/lib/pipeline/review/bootstrap.ts';
import { calibrationFromCounts } from '../../src/lib/pipeline/review/calibration.ts';
import { classificationHeadline, classificationReportOf, prepareClassification, type PreparedClassification } from '../../src/lib/pipeline/review/classification.ts';
import { fairnessReport } from '../../src/lib/pipeline/review/fairness.ts';
import type { SensitiveColumn } from '../../src/lib/pipeline/review/policy.ts';
import { groupsOf } from '../../src/lib/pipeline/review/sensitive.ts';
import { predictedClasses } from '../../src/lib/pipeline/review/threshold.ts';
import { getColumn } from '../../src/lib/pipeline/table.ts';
import { applyTransforms, encodeTarget } from '../../src/lib/pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../../src/lib/pipeline/types.ts';
import { defineStep, type StepContext, type Timer } from '../harness.ts';
import { ourParams, prepare } from './ml.ts';
import { reviewRun as peerReviewRun } from './review-peer/review-run.ts';
import * as peer from './review-peer/parts.ts';

/** Epochs of the benchmark model before it is reviewed (its test AUC is then about 0.947). */
const EPOCHS = 2;
const SEED = 42;
/** The two sensitive columns: a categorical one (5 Zipf levels) and a numeric one cut into 4 age bands; missing values form a group of their own. */
const SENSITIVE: SensitiveColumn[] = [{ column: 'c_tier' }, { column: 'i_age', cuts: [30, 45, 60] }];
/** Rows attributed one by one in the breakdown (their median is the IG target's number). */
const IG_ROWS = 25;

interface ReviewState {
  table: DataTable;
  bundle: TransformBundle;
  train: Int32Array;
  test: Int32Array;
  model: tf.LayersModel;
  spec: Parameters<typeof reviewRun>[4];
  bytes: number;
  ours?: RunReview;
  peer?: RunReview;
  peerPartsTimed?: boolean;
}

async function setup(ctx: StepContext): Promise<ReviewState> {
  await chooseBackend('wasm');
  const { table, plan, train, test } = await prepare(ctx);
  const bundle = fitPlan(table, plan, train);
  const t0 = performance.now();
  const { model } = await trainModel(applyTransforms(table, bundle, train), encodeTarget(table, bundle, train), train.length, bundle.width, 'binary', 2, ourParams(EPOCHS));
  ctx.log(`review: trained ${EPOCHS} epochs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bytes = model.getWeights().reduce((sum, w) => sum + w.size * 4, 0);
  const spec = { review: { sensitive: SENSITIVE }, split: { kind: 'stratified' as const, seed: SEED, timeColumn: null, folds: null } };
  return { table, bundle, train, test, model, spec, bytes };
}

function check(review: RunReview, state: ReviewState, who: string): void {
  const { evaluation, importance } = review;
  const problems: string[] = [];
  if (evaluation.rows !== state.test.length) problems.push(`${evaluation.rows} rows reviewed`);
  if (Object.keys(evaluation.ci).length < 8) problems.push(`${Object.keys(evaluation.ci).length} intervals`);
  for (const { column } of SENSITIVE) if (!evaluation.fairness[column]?.disparities) problems.push(`no disparities for ${column}`);
  if (!evaluation.calibration?.bins.length) problems.push('no calibration bins');
  if (importance.columns.length < 15) problems.push(`importance of ${importance.columns.length} columns`);
  if (problems.length) throw new Error(`bench: ${who} review is incomplete: ${problems.join('; ')}`);
}

const reviewOf = (state: ReviewState, run: typeof peerReviewRun) =>
  run(state.model, state.table, state.bundle, { train: state.train, test: state.test }, state.spec, { bytes: state.bytes });

/** Where ours and the peer differ (they must not: the optimisations keep every number bit for bit, importance included). */
function differencesOf(ours: RunReview, peer: RunReview): string[] {
  const out: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(what);
  };
  const { evaluation: a } = ours;
  const { evaluation: b } = peer;
  same('metrics', a.metrics, b.metrics);
  same('ci', a.ci, b.ci);
  same('vsBaseline', a.vsBaseline, b.vsBaseline);
  same('calibration', a.calibration, b.calibration);
  same('fairness', a.fairness, b.fairness);
  same('verdict', { ...a.verdict }, { ...b.verdict });
  same('importance', ours.importance.columns, peer.importance.columns);
  same('importance baseline', ours.importance.baseline, peer.importance.baseline);
  return out;
}

/** The review modules a breakdown times: ours (src/) or the peer's pre-optimisation copies (review-peer/). */
interface Parts {
  label: string;
  prepareClassification: typeof prepareClassification;
  classificationReportOf: typeof classificationReportOf;
  classificationHeadline: typeof classificationHeadline;
  calibrationFromCounts: typeof calibrationFromCounts;
  bootstrap: typeof bootstrap;
  differences: typeof differences;
  fairnessReport: typeof fairnessReport;
  permutationImportance: typeof permutationImportance;
}

const OURS: Parts = { label: '', prepareClassification, classificationReportOf, classificationHeadline, calibrationFromCounts, bootstrap, differences, fairnessReport, permutationImportance };
const PEER = {
  label: 'peer: ',
  prepareClassification: peer.prepareClassification,
  classificationReportOf: peer.classificationReportOf,
  classificationHeadline: peer.classificationHeadline,
  calibrationFromCounts: peer.calibrationFromCounts,
  bootstrap: peer.bootstrap,
  differences: peer.differences,
  fairnessReport: peer.fairnessReport,
  permutationImportance: peer.permutationImportance,
} as unknown as Parts;

/** The parts of reviewRun timed one by one, as evaluationReport (report.ts) runs them, with our modules or the peer's. */
async function timeParts(state: ReviewState, time: Timer, m: Parts): Promise<void> {
  const { table, bundle, train, test, model } = state;
  const classes = bundle.classes ?? [];
  const p = await time(`${m.label}scoring (transform + predict 198k rows)`, () => testPredictions(model, table, bundle, test, null));
  const labels = Int32Array.from(p.actual);
  const options = { positive: classes.length - 1 };
  const { prep, dummy } = await time(`${m.label}metrics (prepare, full report, dummy)`, () => {
    const prep = m.prepareClassification(labels, p.outputs, classes, options);
    const dummy = m.prepareClassification(labels, baselineOutputs(table, bundle, train, test.length), classes, options);
    m.classificationReportOf(prep);
    m.classificationHeadline(dummy);
    return { prep, dummy };
  });
  const headline = (of: PreparedClassification) => (rows: Int32Array) => {
    const { n: _n, ...h } = m.classificationHeadline(of, rows);
    return h;
  };
  await time(`${m.label}bootstrap (1,000 × headline and vs dummy)`, () => {
    m.bootstrap(test.length, headline(prep), { seed: SEED });
    m.bootstrap(test.length, m.differences(headline(prep), headline(dummy)), { seed: SEED });
  });
  await time(`${m.label}calibration (10 bins + ECE)`, () => {
    const column = prep.calibrationColumn;
    m.classificationHeadline(prep);
    return m.calibrationFromCounts(column.ranked.values, column.pos, column.neg, prep.bins, prep.strategy);
  });
  const predicted = predictedClasses(p.outputs, classes.length, options);
  await time(`${m.label}fairness (2 columns, 1,000 resamples)`, () => {
    for (const spec of SENSITIVE) {
      const groups = groupsOf(getColumn(table, spec.column), spec, test);
      m.fairnessReport({ task: 'binary', classes, labels, predicted, positive: options.positive, groups }, { seed: SEED });
    }
  });
  await time(`${m.label}importance (15 columns × 5 repeats)`, () => m.permutationImportance(model, table, bundle, test, { seed: SEED }));
}

async function breakdown(state: ReviewState, _ctx: StepContext, time: Timer): Promise<void> {
  await timeParts(state, time, OURS);
  for (let i = 0; i < IG_ROWS; i++) {
    const row = state.test[(i * 7919) % state.test.length] as number;
    const t0 = performance.now();
    await attributeRow(state.model, state.table, state.bundle, row);
    time.record('IG one row (separate)', performance.now() - t0);
  }
  // The peer's parts once (a minute): per-part ratios from the same run.
  if (!state.peerPartsTimed) {
    state.peerPartsTimed = true;
    await timeParts(state, time, PEER);
  }
}

export function registerReviewStep(): void {
  defineStep<ReviewState>({
    name: 'review',
    description: `reviewRun on the 198k test rows of the benchmark MLP (${EPOCHS} epochs): scoring, every metric, 1,000-resample bootstrap intervals (+ vs the dummy), calibration, fairness over c_tier and i_age (cuts 30/45/60) with intervals, permutation importance (15 columns × 5 repeats); Integrated Gradients of one row in the breakdown`,
    peer: 'the pre-optimisation review path (bench/steps/review-peer/, same inputs and seed)',
    reps: 3,
    peerReps: 1,
    targets: [{ kind: 'maxMs', ms: 15_000 }],
    partTargets: [{ part: 'IG one row (separate)', maxMs: 50, label: 'IG one row' }],
    setup,
    async run(state) {
      state.ours = await reviewOf(state, reviewRun);
      check(state.ours, state, 'our');
    },
    async peerRun(state) {
      state.peer = await reviewOf(state, peerReviewRun);
      check(state.peer, state, "the peer's");
    },
    breakdown,
    breakdownReps: 2,
    async extra(state) {
      const { ours, peer } = state;
      const extra: Record<string, unknown> = { testRows: state.test.length, width: state.bundle.width };
      if (ours) {
        extra.rocAuc = (ours.evaluation.metrics as { rocAuc?: number }).rocAuc;
        extra.importanceColumns = ours.importance.columns.length;
      }
      if (ours && peer) extra.disagreements = differencesOf(ours, peer);
      state.model.dispose();
      return extra;
    },
  });
}
