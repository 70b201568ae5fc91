// The training loop: seeded shuffling, hand-written or autodiff steps, Adam, early stopping on a validation slice, yields.
import * as tf from '@tensorflow/tfjs';
import { yieldTask } from '../pipeline/yield-task.ts';
import type { EpochRecord } from '../contracts/training.ts';

export type { EpochRecord };
import { shuffleInPlace } from '../pipeline/split.ts';
import type { ModelKind, TaskKind } from '../pipeline/types.ts';
import { batchLoss, forwardLogits } from './forward.ts';
import { FlatAdam } from './adam.ts';
import { BatchMaker } from './batches.ts';
import { canStepByHand, handStep } from './hand-step.ts';
import { copyRows, foldTargetScale, iota, labelRows, labelTensor, meanAndStd, pick, weightTensor } from './train-data.ts';
import { buildModel, denseWeights, type HiddenActivation } from './model.ts';
import { disposeSnapshot, readSnapshot, restoreCheckpoint, SeededRandom, takeSnapshot, type EpochSnapshot } from './train-state.ts';
import type { TrainCheckpoint, TreesCheckpoint } from '../contracts/training.ts';
import type { Predictor } from './predictor.ts';
import type { ResolvedParams } from '../pipeline/spec/resolve.ts';

export interface TrainParams {
  model: ModelKind;
  epochs: number;
  /** Rows per step; by default 32..512 from the row count. */
  batchSize?: number;
  /** Adam step size; 0.01 by default. */
  learningRate?: number;
  /**
   * 'linear': the step size falls linearly from `learningRate` to 0 over the steps of all `epochs`, so the
   * last iterate settles on the optimum instead of rattling around it (for a fixed budget: no early
   * stopping). 'none' (default) keeps it constant.
   */
  decay?: 'none' | 'linear';
  hidden?: number[];
  seed: number;
  /** Weight on the sum of squared kernel weights; 0 by default. */
  l2?: number;
  /** Epochs without a better validation loss before stopping; 10 by default. */
  patience?: number;
  /** Share of the training rows held out for early stopping; 0.1 by default (none under 20 rows). */
  validationFraction?: number;
  /** Hidden-layer activation of the MLP; relu by default. */
  activation?: HiddenActivation;
  /** Dropout rate after each hidden layer while training (0 ≤ rate < 1); 0 by default. */
  dropout?: number;
  /** Loss weight of each class index (classification), e.g. from `balancedClassWeights`. */
  classWeights?: number[];
  /** Continue from this checkpoint (same data, seed and parameters) instead of starting afresh. */
  resume?: TrainCheckpoint;
  /** Least time between two checkpoint writes; `CHECKPOINT_EVERY_MS` by default. */
  checkpointEveryMs?: number;
}

export interface TrainHooks {
  /** Called when a training starts (each trial of a search, the refit) with its parameters. */
  onModel?(params: ResolvedParams): void;
  onEpoch?(epoch: number, loss: number, valLoss?: number): void;
  /** Polled between batches; returning true ends training with `cancelled: true`. */
  shouldStop?(): boolean;
  /**
   * Receives the state after an epoch, at most every `checkpointEveryMs`, and always the last completed
   * epoch's state when the run is cancelled; not called after the last epoch or an early stop.
   */
  onCheckpoint?(checkpoint: TrainCheckpoint | TreesCheckpoint): Promise<void> | void;
}

export interface TrainOutcome<M extends Predictor = Predictor> {
  /** A TF.js network, or trees (see trees/train-trees.ts). */
  model: M;
  history: EpochRecord[];
  cancelled: boolean;
  /** The epoch whose weights the model holds (the best validation loss when there was a validation slice). */
  bestEpoch: number;
  /** Wall time of each epoch in milliseconds. */
  epochMs: number[];
}

/**
 * 'balanced' class weights as scikit-learn computes them: n / (k × count of the class), so every class
 * carries the same total weight. Classes absent from `labels` get weight 0 (they never occur in the loss).
 */
export function balancedClassWeights(labels: Float32Array, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  let n = 0;
  for (const label of labels) {
    if (label >= 0 && label < classCount) {
      counts[label] = (counts[label] as number) + 1;
      n++;
    }
  }
  const present = counts.filter((c) => c > 0).length;
  return counts.map((c) => (c > 0 ? n / (present * c) : 0));
}

/** 32..512 rows per step, growing with the data so big tables take fewer, larger steps. */
export function defaultBatchSize(rows: number): number {
  const power = Math.round(Math.log2(Math.max(1, rows / 64)));
  return Math.min(512, Math.max(32, 2 ** power));
}

const YIELD_EVERY_MS = 50;
/** Checkpoints of tiny epochs are written at most this often (the last one before a cancel always is). */
export const CHECKPOINT_EVERY_MS = 500;

/**
 * Trains a model on the row-major matrix `x` (n × width) and targets `y` (class index, or value).
 * Deterministic for a seed on a given backend. Reads the loss once per epoch, yields every ~50 ms so a
 * cancel is seen quickly, and restores the weights of the best validation epoch.
 */
export async function trainModel(
  x: Float32Array,
  y: Float32Array,
  n: number,
  width: number,
  task: TaskKind,
  classCount: number,
  params: TrainParams,
  hooks: TrainHooks = {},
): Promise<TrainOutcome<tf.Sequential>> {
  if (n < 1) throw new Error('Training needs at least one row');
  if (x.length !== n * width) throw new Error(`Feature matrix has ${x.length} values, expected ${n}×${width}`);
  const random = new SeededRandom(params.seed);
  const order = iota(n);
  shuffleInPlace(order, random.next);
  const fraction = params.validationFraction ?? 0.1;
  const valCount = n >= 20 && fraction > 0 ? Math.max(1, Math.round(n * fraction)) : 0;
  const valRows = order.slice(0, valCount);
  const fitRows = order.slice(valCount);
  const fitY = pick(y, fitRows);
  const { mean, std } = task === 'regression' ? meanAndStd(fitY) : { mean: 0, std: 1 };

  const dropoutRate = params.dropout ?? 0;
  if (!(dropoutRate >= 0 && dropoutRate < 1)) throw new Error(`Dropout must be at least 0 and below 1, got ${dropoutRate}`);
  const model = buildModel({
    kind: params.model,
    task,
    width,
    classCount,
    hidden: params.hidden ?? [],
    seed: params.seed,
    activation: params.activation,
  });
  const layers = denseWeights(model);
  const variables = layers.flatMap((layer) => [layer.kernel, layer.bias]);
  const baseRate = params.learningRate ?? 0.01;
  const optimizer = new FlatAdam(variables, baseRate);
  const l2 = params.l2 ?? 0;
  const batchSize = params.batchSize ?? defaultBatchSize(fitRows.length);
  const patience = params.patience ?? (params.model === 'linear' ? 30 : 15);
  const decay = params.decay === 'linear';
  const totalSteps = params.epochs * Math.ceil(fitRows.length / batchSize);

  // Batches are gathered in JS from the row-major matrix: no copy of the training rows on the backend and
  // no gather op per step; each batch is one upload (two with the transpose the hand-written step uses).
  const labels = labelRows(task, fitY, classCount, mean, std);
  const batches = new BatchMaker(x, width, fitRows, labels);
  const cw = task !== 'regression' ? params.classWeights : undefined;
  const fitWeights = cw ? Float32Array.from(fitY, (label) => cw[label] ?? 0) : null;
  const xVal = valCount ? tf.tensor2d(copyRows(x, width, valRows), [valCount, width]) : null;
  const yVal = valCount ? labelTensor(task, pick(y, valRows), classCount, mean, std) : null;
  const wVal = cw && valCount ? weightTensor(task, Float32Array.from(valRows, (row) => cw[y[row]!] ?? 0)) : null;
  const dropoutSeed = (params.seed >>> 0) * 7919;
  // relu MLPs and linear models without dropout or row weights take the hand-written step (hand-step.ts).
  const byHand = canStepByHand(layers, dropoutRate, fitWeights !== null);
  let step = 0;

  let history: EpochRecord[] = [];
  let epochMs: number[] = [];
  let positions = iota(fitRows.length);
  let best: tf.Tensor[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let waited = 0;
  let cancelled = false;
  let firstEpoch = 1;
  let lastYield = performance.now();
  let snapshot: EpochSnapshot | null = null;
  let snapshotWritten = true;
  let lastWrite = -Infinity;
  const writeSnapshot = async () => {
    if (!snapshot || snapshotWritten || !hooks.onCheckpoint) return;
    snapshotWritten = true;
    lastWrite = performance.now();
    await hooks.onCheckpoint(await readSnapshot(snapshot));
  };

  try {
    if (params.resume) {
      const saved = params.resume;
      if (saved.positions.length !== positions.length) {
        throw new Error(`Checkpoint has ${saved.positions.length} training rows; this run has ${positions.length}`);
      }
      restoreCheckpoint(saved, variables, optimizer);
      random.state = saved.rngState;
      positions = Int32Array.from(saved.positions);
      ({ bestLoss, bestEpoch, waited, step } = saved);
      best = saved.best ? saved.best.map((values, i) => tf.tensor(values, variables[i]!.shape)) : null;
      history = saved.history.map((h) => ({ ...h }));
      epochMs = [...saved.epochMs];
      firstEpoch = saved.epoch + 1;
    }
    for (let epoch = firstEpoch; epoch <= params.epochs && !cancelled; epoch++) {
      const started = performance.now();
      shuffleInPlace(positions, random.next);
      let lossSum: tf.Scalar = tf.scalar(0);
      for (let start = 0; start < positions.length; start += batchSize) {
        if (hooks.shouldStop?.()) {
          cancelled = true;
          break;
        }
        const batch = positions.subarray(start, Math.min(start + batchSize, positions.length));
        const values = batches.make(batch, byHand);
        const b = values.rows;
        if (decay) optimizer.learningRate = baseRate * Math.max(0, 1 - step / totalSteps);
        const next = tf.tidy(() => {
          const xb = tf.tensor2d(values.x, [b, width]);
          const yb = tf.tensor2d(values.y, [b, labels.width]);
          let cost: tf.Scalar;
          if (values.xOnesT) {
            const result = handStep(task, layers, { x: xb, xOnesT: tf.tensor2d(values.xOnesT, [width + 1, b]), y: yb }, l2);
            optimizer.applyGradient(result.grad);
            cost = result.loss;
          } else {
            const wb = fitWeights ? weightTensor(task, Float32Array.from(batch, (p) => fitWeights[p]!)) : undefined;
            const drop = dropoutRate > 0 && layers.length > 1 ? { rate: dropoutRate, seed: dropoutSeed + 16 * step } : undefined;
            cost = optimizer.minimize(() => batchLoss(task, layers, forwardLogits(layers, xb, drop), yb, l2, wb));
          }
          return tf.add(lossSum, tf.mul(cost, b)) as tf.Scalar;
        });
        lossSum.dispose();
        lossSum = next;
        step++;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await lossSum.data(); // bounds queued GPU work; free on WASM/CPU
          await yieldTask();
          lastYield = performance.now();
        }
      }
      if (cancelled) {
        lossSum.dispose();
        break;
      }
      const valT = xVal && yVal ? tf.tidy(() => batchLoss(task, layers, forwardLogits(layers, xVal), yVal, 0, wVal ?? undefined)) : null;
      const loss = (await lossSum.data())[0]! / positions.length;
      const valLoss = valT ? (await valT.data())[0]! : undefined;
      lossSum.dispose();
      valT?.dispose();
      history.push(valLoss === undefined ? { epoch, loss } : { epoch, loss, valLoss });
      epochMs.push(performance.now() - started);
      hooks.onEpoch?.(epoch, loss, valLoss);

      const watched = valLoss ?? loss;
      let stop = false;
      if (watched < bestLoss - 1e-7) {
        bestLoss = watched;
        bestEpoch = epoch;
        waited = 0;
        if (valLoss !== undefined) {
          best?.forEach((t) => t.dispose());
          best = variables.map((v) => tf.clone(v));
        }
      } else if (valLoss !== undefined && ++waited >= patience) {
        stop = true;
      }
      if (stop || epoch === params.epochs) break;
      if (hooks.onCheckpoint) {
        disposeSnapshot(snapshot);
        snapshot = takeSnapshot(variables, optimizer, best, {
          epoch, bestLoss, bestEpoch, waited, rngState: random.state, positions, step, history, epochMs,
        });
        snapshotWritten = false;
        if (performance.now() - lastWrite >= (params.checkpointEveryMs ?? CHECKPOINT_EVERY_MS)) await writeSnapshot();
      }
    }
    if (cancelled) await writeSnapshot();
    if (best) {
      const saved = best;
      variables.forEach((v, i) => v.assign(saved[i]!));
    } else if (valCount === 0 || history.length === 0) {
      bestEpoch = history.length;
    }
    if (task === 'regression') foldTargetScale(layers[layers.length - 1]!, mean, std);
  } finally {
    disposeSnapshot(snapshot);
    best?.forEach((t) => t.dispose());
    [xVal, yVal, wVal].forEach((t) => t?.dispose());
    optimizer.dispose();
  }
  return { model, history, cancelled, bestEpoch, epochMs };
}
