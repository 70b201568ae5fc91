// The training-time forward pass: fused dense layers whose gradient transposes explicitly, and losses on logits.
import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../pipeline/types.ts';
import type { DenseWeights } from './model.ts';

/**
 * xᵀ·dz, the weight gradient, with explicit transposes: TF.js's own matMul gradient uses transposeA/B,
 * which runs about 8× slower on WASM (docs/design.md). Whichever of x and dz is narrower is transposed:
 * (dzᵀ·x)ᵀ moves less memory when the layer has fewer outputs than inputs (measured 443 → 318 µs for a
 * 512×87 batch into 64 units).
 */
function weightGradient(x: tf.Tensor2D, dz: tf.Tensor2D): tf.Tensor2D {
  return dz.shape[1] < x.shape[1] ? tf.transpose(tf.matMul(tf.transpose(dz), x)) : tf.matMul(tf.transpose(x), dz);
}

/**
 * relu(x·W + b) or x·W + b as one fused kernel, with a hand-written gradient that transposes explicitly.
 * `input`: x is data (the first layer), so no gradient for x is computed; the tape never reads it because
 * no weight leads to x, and a scalar stands in for it (a quarter of a step's arithmetic for a wide input).
 */
function fusedDense(activation: 'relu' | 'linear', input: boolean) {
  return tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const value = tf.fused.matMul({ a: x, b: w, bias: b, activation });
    save(activation === 'relu' ? [x, w, value] : [x, w]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, out] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D | undefined];
        const dz = (out ? tf.mul(dy, tf.step(out)) : dy) as tf.Tensor2D;
        return [input ? tf.scalar(0) : tf.matMul(dz, tf.transpose(ws)), weightGradient(xs, dz), tf.sum(dz, 0)];
      },
    };
  });
}

const DENSE = {
  relu: fusedDense('relu', false),
  linear: fusedDense('linear', false),
  inputRelu: fusedDense('relu', true),
  inputLinear: fusedDense('linear', true),
};

/** A dense layer's output after its activation; relu and linear run fused, tanh and gelu on top of the linear part. */
function dense(x: tf.Tensor2D, layer: DenseWeights, input: boolean): tf.Tensor2D {
  const relu = layer.activation === 'relu';
  const op = input ? (relu ? DENSE.inputRelu : DENSE.inputLinear) : relu ? DENSE.relu : DENSE.linear;
  const out = op(x, layer.kernel, layer.bias) as tf.Tensor2D;
  return relu || layer.activation === 'linear' ? out : activate(out, layer.activation);
}

/**
 * Mean sigmoid cross-entropy of logits z against 0/1 labels y ([n,1] each), with the gradient written out:
 * (sigmoid(z) − y) / n. Autodiff of tf.losses' form takes about ten small ops per step; this takes three.
 */
const binaryCrossEntropy = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, y, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([z, y]);
  return {
    value: tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [zs, ys] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.mul(tf.sub(tf.sigmoid(zs), ys), tf.div(dy, zs.shape[0])), tf.scalar(0)];
    },
  };
});

/** GELU with the exact erf form, as tfjs-layers' 'gelu' activation computes it. */
function gelu(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))))) as tf.Tensor2D;
}

function activate(z: tf.Tensor2D, activation: DenseWeights['activation']): tf.Tensor2D {
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
 * `x` must be data (not computed from weights): the first layer does not propagate a gradient to it.
 * With `dropout`, each hidden layer's output is dropped at that rate (scaled up to keep its mean).
 */
export function forwardLogits(layers: DenseWeights[], x: tf.Tensor2D, dropout?: DropoutSpec): tf.Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    h = dense(h, layer, i === 0);
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
      ? weights
        ? tf.losses.sigmoidCrossEntropy(y, logits, weights)
        : (binaryCrossEntropy(logits, y) as tf.Scalar)
      : task === 'multiclass'
        ? tf.losses.softmaxCrossEntropy(y, logits, weights)
        : tf.losses.meanSquaredError(y, logits);
  if (l2 > 0) {
    for (const layer of layers) loss = tf.add(loss, tf.mul(l2, tf.sum(tf.square(layer.kernel))));
  }
  return loss;
}
