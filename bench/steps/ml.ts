// Bench steps of the ML path on the 1M-row table: features (fit + transform), one training epoch, and scoring, on WASM.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, probeWebGpu } from '../../src/lib/ml/backend-browser.ts';
import { buildModel } from '../../src/lib/ml/model.ts';
import { predictRaw, PREDICT_CHUNK_ROWS } from '../../src/lib/ml/predict.ts';
import { makeSplitter } from '../../src/lib/ml/split-plan.ts';
import { TEST_FRACTION } from '../../src/lib/ml/run.ts';
import { trainModel, type TrainParams } from '../../src/lib/ml/train.ts';
import { rocAuc } from '../../src/lib/pipeline/metrics.ts';
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { planFeatures, rowsWithTarget } from '../../src/lib/pipeline/plan.ts';
import { profileTable } from '../../src/lib/pipeline/profile.ts';
import { firstEqualRows } from '../../src/lib/pipeline/quality/row-hash.ts';
import { applyTransforms, encodeTarget } from '../../src/lib/pipeline/transforms.ts';
import { fitPlan } from '../../src/lib/pipeline/features/fit.ts';
import type { DataTable, FeaturePlan } from '../../src/lib/pipeline/types.ts';
import { defineStep, type StepContext } from '../harness.ts';

const TARGET = 'label';
const SEED = 42;
const HIDDEN = [64, 32];
const BATCH = 512;
/** Adam's usual step size (scikit-learn's and Keras's default), for ours and the peer alike. */
const LEARNING_RATE = 0.001;
/** Epochs of our loop before the test AUC recorded beside train-epoch. */
const AUC_EPOCHS = 5;

export interface Prepared {
  table: DataTable;
  plan: FeaturePlan;
  train: Int32Array;
  test: Int32Array;
}

/**
 * Parses the reference CSV, plans its features automatically, drops the 1% of exact duplicate rows (as the
 * Check stage's dedupe does, and docs/baselines.md's 792k training rows imply) and splits the 989,794 distinct
 * rows 80/20 (stratified, seed 42: scikit-learn's split of the same rows).
 */
export async function prepare(ctx: StepContext): Promise<Prepared> {
  const table = parseFile(new Uint8Array(await (await ctx.csvFile()).arrayBuffer()), 'reference.csv');
  const plan = planFeatures(table, profileTable(table), TARGET);
  const first = firstEqualRows(table.columns, table.rowCount);
  const rows = rowsWithTarget(table, TARGET).filter((row) => first[row] === -1);
  const { train, test } = makeSplitter(table, TARGET, plan.task).split(rows, TEST_FRACTION, SEED);
  ctx.log(`prepared ${table.rowCount} rows, ${rows.length} distinct: ${train.length} train, ${test.length} test, task ${plan.task}`);
  return { table, plan, train, test };
}

interface Matrices extends Prepared {
  width: number;
  xTrain: Float32Array;
  yTrain: Float32Array;
  xTest: Float32Array;
  yTest: Float32Array;
}

/** Fits on the training rows and builds the matrices (the training one only when asked: scoring needs the test rows). */
async function matrices(ctx: StepContext, withTrain = true): Promise<Matrices> {
  const prepared = await prepare(ctx);
  const { table, plan, train, test } = prepared;
  const bundle = fitPlan(table, plan, train);
  ctx.log(`features: width ${bundle.width}`);
  return {
    ...prepared,
    width: bundle.width,
    xTrain: withTrain ? applyTransforms(table, bundle, train) : new Float32Array(0),
    yTrain: withTrain ? encodeTarget(table, bundle, train) : new Float32Array(0),
    xTest: applyTransforms(table, bundle, test),
    yTest: encodeTarget(table, bundle, test),
  };
}

function features(): void {
  defineStep<Prepared & { all: Int32Array }>({
    name: 'features',
    description: 'fitPlan on the training split (auto plan: impute, standardize, one-hot) + applyTransforms of all 1M rows to a Float32 matrix',
    reps: 5,
    targets: [{ kind: 'maxMs', ms: 1500 }],
    async setup(ctx) {
      const prepared = await prepare(ctx);
      return { ...prepared, all: Int32Array.from({ length: prepared.table.rowCount }, (_, i) => i) };
    },
    async run({ table, plan, train, all }) {
      const bundle = fitPlan(table, plan, train);
      const x = applyTransforms(table, bundle, all);
      if (x.length !== all.length * bundle.width) throw new Error('bench: wrong matrix size');
      return bundle.width;
    },
    async breakdown({ table, plan, train, all }, _ctx, time) {
      const bundle = await time('fit', () => fitPlan(table, plan, train));
      await time('transform', () => applyTransforms(table, bundle, all));
    },
    async extra({ table, plan, train }) {
      return { width: fitPlan(table, plan, train).width };
    },
  });
}

export function ourParams(epochs: number): TrainParams {
  return {
    model: 'mlp',
    hidden: HIDDEN,
    epochs,
    batchSize: BATCH,
    learningRate: LEARNING_RATE,
    seed: SEED,
    validationFraction: 0,
    patience: Infinity,
  };
}

interface TrainState extends Matrices {
  peerModel?: tf.Sequential;
  xTensor?: tf.Tensor2D;
  yTensor?: tf.Tensor2D;
  backend: string;
}

async function testAuc(state: Matrices, model: tf.LayersModel): Promise<number> {
  const n = state.test.length;
  const p = await predictRaw(model, state.xTest, n, state.width);
  return rocAuc(Float64Array.from(p), Uint8Array.from(state.yTest));
}

function trainEpoch(): void {
  defineStep<TrainState>({
    name: 'train-epoch',
    description: `one epoch of the MLP width→${HIDDEN.join('→')}→1 (relu/sigmoid), Adam, batch ${BATCH}, on the 792k training rows (duplicates dropped) with trainModel (WASM)`,
    peer: 'tf.sequential model.fit (same model, same data)',
    reps: 3,
    peerReps: 2,
    targets: [
      { kind: 'maxMs', ms: 3000 },
      { kind: 'minSpeedup', factor: 4 },
    ],
    async setup(ctx) {
      const { backend } = await chooseBackend('wasm');
      return { ...(await matrices(ctx)), backend };
    },
    async run(state) {
      const out = await trainModel(state.xTrain, state.yTrain, state.train.length, state.width, 'binary', 2, ourParams(1));
      out.model.dispose();
    },
    async peerRun(state) {
      if (!state.xTensor) {
        state.xTensor = tf.tensor2d(state.xTrain, [state.train.length, state.width]);
        state.yTensor = tf.tensor2d(state.yTrain, [state.train.length, 1]);
      }
      state.peerModel?.dispose();
      const model = buildModel({ kind: 'mlp', task: 'binary', width: state.width, classCount: 2, hidden: HIDDEN, seed: SEED });
      model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'binaryCrossentropy' });
      await model.fit(state.xTensor, state.yTensor!, { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 });
      state.peerModel = model;
    },
    async extra(state, ctx) {
      const extra: Record<string, unknown> = { backend: state.backend, trainRows: state.train.length, width: state.width };
      if (state.peerModel) extra.peerAuc1Epoch = round4(await testAuc(state, state.peerModel));
      state.peerModel?.dispose();
      state.xTensor?.dispose();
      state.yTensor?.dispose();
      const webgpu = await probeWebGpu();
      extra.webgpu = webgpu.kind === 'hardware' ? `hardware adapter (${webgpu.detail}); not measured by this step` : `skipped: ${webgpu.kind} (${webgpu.detail})`;
      {
        ctx.log(`train-epoch: ${AUC_EPOCHS} epochs for the test AUC…`);
        const t0 = performance.now();
        const out = await trainModel(state.xTrain, state.yTrain, state.train.length, state.width, 'binary', 2, ourParams(AUC_EPOCHS));
        extra.aucEpochMs = out.epochMs.map((ms) => Math.round(ms));
        extra.auc = round4(await testAuc(state, out.model));
        extra.aucTarget = { label: 'within 0.005 of 0.948', pass: Math.abs((extra.auc as number) - 0.948) <= 0.005 };
        ctx.log(`train-epoch: AUC ${String(extra.auc)} after ${AUC_EPOCHS} epochs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        out.model.dispose();
      }
      return extra;
    },
  });
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

interface ScoreState extends Matrices {
  model: tf.Sequential;
  xTensor?: tf.Tensor2D;
  ms: number[];
  peerMs: number[];
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

function score(): void {
  defineStep<ScoreState>({
    name: 'score',
    description: `predictOnBatch on ${PREDICT_CHUNK_ROWS}-row chunks over the 198k test rows (src/lib/ml/predict.ts, WASM), Float32Array in → probabilities out`,
    peer: 'model.predict(x, {batchSize}) on one tensor',
    reps: 5,
    peerReps: 2,
    // ≥ 1M rows/s on the 198k test rows.
    targets: [{ kind: 'maxMs', ms: 198 }],
    async setup(ctx) {
      await chooseBackend('wasm');
      const prepared = await matrices(ctx, false);
      const model = buildModel({ kind: 'mlp', task: 'binary', width: prepared.width, classCount: 2, hidden: HIDDEN, seed: SEED });
      return { ...prepared, model, ms: [], peerMs: [] };
    },
    async run(state) {
      const t0 = performance.now();
      const p = await predictRaw(state.model, state.xTest, state.test.length, state.width);
      state.ms.push(performance.now() - t0);
      if (p.length !== state.test.length) throw new Error('bench: wrong prediction count');
    },
    async peerRun(state) {
      state.xTensor ??= tf.tensor2d(state.xTest, [state.test.length, state.width]);
      const t0 = performance.now();
      const out = state.model.predict(state.xTensor, { batchSize: PREDICT_CHUNK_ROWS }) as tf.Tensor;
      await out.data();
      out.dispose();
      state.peerMs.push(performance.now() - t0);
    },
    async extra(state) {
      state.xTensor?.dispose();
      // Rows per second of the timed runs (the first run of ours is the warm-up).
      const rows = Math.round(state.test.length / (medianOf(state.ms.slice(1)) / 1000));
      const peerRows = state.peerMs.length ? Math.round(state.test.length / (medianOf(state.peerMs) / 1000)) : null;
      return { testRows: state.test.length, rows, peerRows, rowsTarget: { label: '≥ 1M rows/s', pass: rows >= 1e6 } };
    },
  });
}

/** Registers the ML steps: features, train-epoch, score. */
export function registerMlSteps(): void {
  features();
  trainEpoch();
  score();
}
