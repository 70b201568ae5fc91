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

/** The network's output before the last activation (logits for classification, values for regression). */
export function forwardLogits(layers: DenseWeights[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (const layer of layers) {
    const z = denseOp(h, layer.kernel, layer.bias) as tf.Tensor2D;
    h = layer.relu ? tf.relu(z) : z;
  }
  return h;
}

/**
 * Mean loss of a batch: sigmoid cross-entropy (binary, y is [n,1] of 0/1), softmax cross-entropy (multiclass,
 * y is one-hot [n,k]) or squared error (regression), plus `l2` × the sum of squared kernel weights.
 */
export function batchLoss(
  task: TaskKind,
  layers: DenseWeights[],
  logits: tf.Tensor2D,
  y: tf.Tensor2D,
  l2 = 0,
): tf.Scalar {
  let loss: tf.Scalar =
    task === 'binary'
      ? tf.losses.sigmoidCrossEntropy(y, logits)
      : task === 'multiclass'
        ? tf.losses.softmaxCrossEntropy(y, logits)
        : tf.losses.meanSquaredError(y, logits);
  if (l2 > 0) {
    for (const layer of layers) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(layer.kernel))));
  }
  return loss;
}
