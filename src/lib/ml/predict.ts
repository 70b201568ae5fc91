// Batch inference of either model family; networks run their layers' own call on pre-sliced chunks (model.predict with batchSize is quadratic on WASM, and predictOnBatch's graph walk costs more than the arithmetic).
import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../pipeline/types.ts';
import { isTrees, outputWidth, type Predictor } from './predictor.ts';

/** Rows per chunk of work that predicts many rows (e.g. the review's shuffles, scoring's batches). */
export const PREDICT_CHUNK_ROWS = 8192;
/**
 * Rows per predictOnBatch call. A network's activations for 1k rows stay in the cache: the bench's MLP
 * (87→64→32→1, TF.js WASM SIMD in Chromium) predicted 857k rows in 1,164 ms by 1k against 1,344–1,407 ms by
 * 4k and 1,769 ms by 8k, in one run.
 */
export const PREDICT_BATCH_ROWS = 1024;

/**
 * The layers of a plain stack of Dense layers (every model `buildModel` makes, and every one a bundle brings
 * back), in order; null for any other model, which goes through predictOnBatch. Calling each layer's own
 * `call` runs exactly the kernels predictOnBatch runs (the outputs are the same bit for bit) without its graph
 * walk: the bench's MLP predicted 857k rows in 400–440 ms against 950–1,040 ms (Chromium, WASM, by 1k rows).
 */
function denseStack(model: tf.LayersModel): tf.layers.Layer[] | null {
  if (!(model instanceof tf.Sequential)) return null;
  return model.layers.every((layer) => layer.getClassName() === 'Dense') ? model.layers : null;
}

/** The model's raw outputs for every row of `x` (n × width), row-major n × outputs. */
export async function predictRaw(model: Predictor, x: Float32Array, n: number, width: number): Promise<Float32Array> {
  if (isTrees(model)) return model.predict(x, n, width);
  const outputs = outputWidth(model);
  const result = new Float32Array(n * outputs);
  const stack = denseStack(model);
  for (let start = 0; start < n; start += PREDICT_BATCH_ROWS) {
    const rows = Math.min(PREDICT_BATCH_ROWS, n - start);
    const out = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * width, (start + rows) * width), [rows, width]);
      if (!stack) return model.predictOnBatch(input) as tf.Tensor;
      return stack.reduce<tf.Tensor>((h, layer) => layer.call(h, {}) as tf.Tensor, input);
    });
    result.set((await out.data()) as Float32Array, start * outputs);
    out.dispose();
  }
  return result;
}

/**
 * Class probabilities as n × k (k = classCount; binary models output P(class 1) and this adds P(class 0)),
 * or predicted values as n for regression.
 */
export async function predictTable(
  model: Predictor,
  x: Float32Array,
  n: number,
  width: number,
  task: TaskKind,
): Promise<Float32Array> {
  const raw = await predictRaw(model, x, n, width);
  if (task !== 'binary') return raw;
  const probs = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p = raw[i]!;
    probs[2 * i] = 1 - p;
    probs[2 * i + 1] = p;
  }
  return probs;
}
