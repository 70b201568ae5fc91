// The resumable state of a training loop: a seeded generator whose position can be saved, and snapshots of weights + Adam.
import * as tf from '@tensorflow/tfjs';
import type { FlatAdam } from './adam.ts';
import type { TrainCheckpoint } from '../contracts/training.ts';

export type { TrainCheckpoint };

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

/** Tensors held at the end of an epoch (clones: cheap reference copies), read back only when written. */
export interface EpochSnapshot {
  weights: tf.Tensor[];
  moments: tf.Tensor[];
  best: tf.Tensor[] | null;
  iterations: number;
  meta: Omit<TrainCheckpoint, 'weights' | 'moments' | 'best' | 'iterations'>;
}

/** Clones the weights and Adam's state (no read-back); dispose with `disposeSnapshot`. */
export function takeSnapshot(variables: tf.Variable[], optimizer: FlatAdam, best: tf.Tensor[] | null, meta: EpochSnapshot['meta']): EpochSnapshot {
  return {
    weights: variables.map((v) => tf.clone(v)),
    moments: optimizer.moments().map((m) => tf.clone(m)),
    best: best ? best.map((t) => tf.clone(t)) : null,
    iterations: optimizer.iterations,
    meta: { ...meta, positions: meta.positions.slice(), history: meta.history.map((h) => ({ ...h })), epochMs: [...meta.epochMs] },
  };
}

export function disposeSnapshot(snapshot: EpochSnapshot | null): void {
  if (!snapshot) return;
  [...snapshot.weights, ...snapshot.moments, ...(snapshot.best ?? [])].forEach((t) => t.dispose());
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
  };
}

/** Puts a checkpoint's weights and Adam state back into a freshly built model and optimizer. */
export function restoreCheckpoint(checkpoint: TrainCheckpoint, variables: tf.Variable[], optimizer: FlatAdam): void {
  if (checkpoint.weights.length !== variables.length) {
    throw new Error(`Checkpoint has ${checkpoint.weights.length} weight tensors; the model has ${variables.length}`);
  }
  variables.forEach((v, i) => {
    const values = checkpoint.weights[i]!;
    if (values.length !== v.size) throw new Error(`Checkpoint weight ${i} has ${values.length} values; the model's has ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  });
  const [m, v] = checkpoint.moments;
  if (!m || !v) throw new Error('Checkpoint has no optimizer moments');
  optimizer.restore(m, v, checkpoint.iterations);
}
