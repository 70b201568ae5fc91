// The training-time forward pass: dense layers whose gradient transposes explicitly, and losses on logits.
import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../pipeline/types.ts';
import type { DenseWeights } from './model.ts';

/**
 * x·W + b with a hand-written gradient. TF.js's own matMul gradient uses transposeA/B, which DESIGN.md
 * measured about 8× slower on WASM than transposing first.
 */
const denseOp = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy2), tf.sum(dy2, 0)];
    },
  };
});

/** GELU with the exact erf form, as tfjs-layers' 'gelu' activation computes it. */
function gelu(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))))) as tf.Tensor2D;
}

function activate(z: tf.Tensor2D, activation: DenseWeights['activation']): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  if (activation === 'gelu') return gelu(z);
  return z;
}

/** Inverted dropout on the hidden layers while training; `seed` must change every step for fresh masks. */
export interface DropoutSpec {
  rate: number;
  seed: number;
}

/**
 * The network's output before the last activation (logits for classification, values for regression).
 * With `dropout`, each hidden layer's output is dropped at that rate (scaled up to keep its mean).
 */
export function forwardLogits(layers: DenseWeights[], x: tf.Tensor2D, dropout?: DropoutSpec): tf.Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    const z = denseOp(h, layer.kernel, layer.bias) as tf.Tensor2D;
    h = activate(z, layer.activation);
    if (dropout && dropout.rate > 0 && i < layers.length - 1) h = tf.dropout(h, dropout.rate, undefined, dropout.seed + i) as tf.Tensor2D;
  });
  return h;
}

/**
 * Mean loss of a batch: sigmoid cross-entropy (binary, y is [n,1] of 0/1), softmax cross-entropy (multiclass,
 * y is one-hot [n,k]) or squared error (regression), plus `l2` × the sum of squared kernel weights.
 * `weights` (one per row: [n,1] for binary, [n] for multiclass) weighs each row's loss, e.g. by class.
 */
export function batchLoss(
  task: TaskKind,
  layers: DenseWeights[],
  logits: tf.Tensor2D,
  y: tf.Tensor2D,
  l2 = 0,
  weights?: tf.Tensor,
): tf.Scalar {
  let loss: tf.Scalar =
    task === 'binary'
      ? tf.losses.sigmoidCrossEntropy(y, logits, weights)
      : task === 'multiclass'
        ? tf.losses.softmaxCrossEntropy(y, logits, weights)
        : tf.losses.meanSquaredError(y, logits);
  if (l2 > 0) {
    for (const layer of layers) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(layer.kernel))));
  }
  return loss;
}
