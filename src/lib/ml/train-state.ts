// The resumable state of a training loop: a seeded generator whose position can be saved, and snapshots of weights + Adam.
import * as tf from '@tensorflow/tfjs';
import type { EpochRecord } from './train.ts';

/**
 * mulberry32 (the same sequence as pipeline/split.ts) with its position readable and settable, so a
 * checkpoint can store where the shuffles are and a resumed run draws the same numbers.
 */
export class SeededRandom {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next number in [0, 1). */
  next = (): number => {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything `trainModel` needs to continue after `epoch` as if it had never stopped. */
export interface TrainCheckpoint {
  /** Epochs completed. */
  epoch: number;
  /** The values of the dense layers' kernels and biases, in layer order. */
  weights: Float32Array[];
  /** Adam's first then second moments, one per variable, in the same order. */
  moments: Float32Array[];
  /** Adam's step count and its running beta powers (restored exactly, not recomputed). */
  iterations: number;
  accBeta1: number;
  accBeta2: number;
  /** The weights of the best validation epoch so far (null when none were kept). */
  best: Float32Array[] | null;
  bestLoss: number;
  bestEpoch: number;
  waited: number;
  /** The generator's state after the last completed epoch's shuffle. */
  rngState: number;
  /** The order of the training rows after the last shuffle (each epoch shuffles it again, in place). */
  positions: Int32Array;
  /** Optimizer steps taken (seeds dropout masks). */
  step: number;
  history: EpochRecord[];
  epochMs: number[];
}

/** Adam's private beta powers: read and written so that a restore is bit-exact. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** Tensors held at the end of an epoch (clones: cheap reference copies), read back only when written. */
export interface EpochSnapshot {
  weights: tf.Tensor[];
  moments: tf.Tensor[];
  best: tf.Tensor[] | null;
  iterations: number;
  accBeta1: tf.Tensor;
  accBeta2: tf.Tensor;
  meta: Omit<TrainCheckpoint, 'weights' | 'moments' | 'best' | 'iterations' | 'accBeta1' | 'accBeta2'>;
}

/** Clones the weights and Adam's state (no read-back); dispose with `disposeSnapshot`. */
export async function takeSnapshot(
  variables: tf.Variable[],
  optimizer: tf.AdamOptimizer,
  best: tf.Tensor[] | null,
  meta: EpochSnapshot['meta'],
): Promise<EpochSnapshot> {
  const named = await optimizer.getWeights();
  const internals = optimizer as unknown as AdamInternals;
  const iterations = (await named[0]!.tensor.data())[0]!;
  named[0]!.tensor.dispose();
  return {
    weights: variables.map((v) => tf.clone(v)),
    moments: named.slice(1).map((w) => tf.clone(w.tensor)),
    best: best ? best.map((t) => tf.clone(t)) : null,
    iterations,
    accBeta1: tf.clone(internals.accBeta1),
    accBeta2: tf.clone(internals.accBeta2),
    meta: { ...meta, positions: meta.positions.slice(), history: meta.history.map((h) => ({ ...h })), epochMs: [...meta.epochMs] },
  };
}

export function disposeSnapshot(snapshot: EpochSnapshot | null): void {
  if (!snapshot) return;
  [...snapshot.weights, ...snapshot.moments, ...(snapshot.best ?? []), snapshot.accBeta1, snapshot.accBeta2].forEach((t) => t.dispose());
}

const read = async (tensors: tf.Tensor[]) => Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));

/** Reads a snapshot back into plain arrays (what a checkpoint stores). */
export async function readSnapshot(snapshot: EpochSnapshot): Promise<TrainCheckpoint> {
  return {
    ...snapshot.meta,
    weights: await read(snapshot.weights),
    moments: await read(snapshot.moments),
    best: snapshot.best ? await read(snapshot.best) : null,
    iterations: snapshot.iterations,
    accBeta1: (await snapshot.accBeta1.data())[0]!,
    accBeta2: (await snapshot.accBeta2.data())[0]!,
  };
}

/** Puts a checkpoint's weights and Adam state back into a freshly built model and optimizer. */
export async function restoreCheckpoint(checkpoint: TrainCheckpoint, variables: tf.Variable[], optimizer: tf.AdamOptimizer): Promise<void> {
  if (checkpoint.weights.length !== variables.length) {
    throw new Error(`Checkpoint has ${checkpoint.weights.length} weight tensors; the model has ${variables.length}`);
  }
  variables.forEach((v, i) => {
    const values = checkpoint.weights[i]!;
    if (values.length !== v.size) throw new Error(`Checkpoint weight ${i} has ${values.length} values; the model's has ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  });
  if (checkpoint.moments.length) {
    const shapes = [...variables, ...variables].map((v) => v.shape);
    const tensors = checkpoint.moments.map((values, i) => tf.tensor(values, shapes[i]));
    const iter = tf.scalar(checkpoint.iterations, 'int32');
    await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...tensors.map((tensor, i) => ({ name: `m${i}`, tensor }))]);
    [iter, ...tensors].forEach((t) => t.dispose());
    const internals = optimizer as unknown as AdamInternals;
    tf.tidy(() => {
      internals.accBeta1.assign(tf.scalar(checkpoint.accBeta1));
      internals.accBeta2.assign(tf.scalar(checkpoint.accBeta2));
    });
  }
}
