// What permutation importance and attributions share: which matrix slots each source column feeds, and the network's logits.
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../pipeline/errors.ts';
import { fittedFeatureNames } from '../../pipeline/transforms.ts';
import type { FittedFeature, TaskKind, TransformBundle } from '../../pipeline/types.ts';
import { denseWeights, type DenseWeights } from '../model.ts';

/** A fitted feature's place in the model's input matrix: slots `start` … `end − 1`, read from `columns`. */
export interface FeatureSlots {
  feature: FittedFeature;
  /** The feature's name (the source column's when the automatic plan made it). */
  name: string;
  /** The source columns it reads: one, or two for ratio and difference. */
  columns: string[];
  start: number;
  end: number;
}

/** The source columns a fitted feature reads. */
export function featureColumns(feature: FittedFeature): string[] {
  return feature.kind === 'ratio' || feature.kind === 'difference' ? [feature.column, feature.column2] : [feature.column];
}

/** Every feature of the bundle with its slots, in matrix order; refuses a bundle whose width disagrees. */
export function featureSlots(bundle: TransformBundle): FeatureSlots[] {
  let start = 0;
  const out = bundle.features.map((feature) => {
    const end = start + fittedFeatureNames(feature).length;
    const slots = { feature, name: feature.name ?? feature.column, columns: featureColumns(feature), start, end };
    start = end;
    return slots;
  });
  if (start !== bundle.width) throw new AppError('bad-bundle', `The transform bundle says width ${bundle.width} but its features make ${start}`);
  return out;
}

/** The source columns the bundle reads, each once, in the order the features first read them. */
export function sourceColumns(bundle: TransformBundle): string[] {
  return [...new Set(bundle.features.flatMap(featureColumns))];
}

/** The dense layers of a model, checked against the bundle's width (a model of another bundle is refused). */
export function modelLayers(model: tf.LayersModel, bundle: TransformBundle): DenseWeights[] {
  const layers = denseWeights(model);
  const width = layers[0]?.kernel.shape[0];
  if (width !== bundle.width) throw new AppError('bad-bundle', `The model takes ${width} inputs but the transform bundle makes ${bundle.width}`);
  return layers;
}

/** GELU with the exact erf form, as tfjs-layers' 'gelu' computes it. */
function gelu(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.div(z, Math.SQRT2))))) as tf.Tensor2D;
}

function activate(z: tf.Tensor2D, activation: DenseWeights['activation']): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  if (activation === 'gelu') return gelu(z);
  return z;
}

/** One dense layer, differentiable in its input (relu and linear fused, tanh and gelu on the linear part). */
function dense(h: tf.Tensor2D, layer: DenseWeights): tf.Tensor2D {
  const { activation } = layer;
  const fused = activation === 'relu' || activation === 'linear';
  const z = tf.fused.matMul({ a: h, b: layer.kernel as tf.Tensor2D, bias: layer.bias, activation: fused ? activation : 'linear' }) as tf.Tensor2D;
  return fused ? z : activate(z, activation);
}

/** The network's output before its last activation (logits, or values for regression) for inputs `x`. */
export function logits(layers: DenseWeights[], x: tf.Tensor2D): tf.Tensor2D {
  return layers.reduce((h, layer) => dense(h, layer), x);
}

/** The logits from the first layer's output after its activation: the layers after the first (none for a linear model). */
export function logitsFromHidden(layers: DenseWeights[], h1: tf.Tensor2D): tf.Tensor2D {
  return logits(layers.slice(1), h1);
}

/** The logits from the first layer's pre-activation `z1` (x·W₁ + b₁): its activation, then the layers after it. */
export function logitsFromFirst(layers: DenseWeights[], z1: tf.Tensor2D): tf.Tensor2D {
  const [first] = layers;
  if (!first || layers.length === 1) return z1;
  return logitsFromHidden(layers, activate(z1, first.activation));
}

/**
 * The weights `v` that turn a row of logits z into the explained output v·z: the value (regression), the
 * log-odds of class `classIndex` (binary: z for class 1, −z for class 0) or the class's centred logit
 * z_c − mean(z) = log p_c − mean_k log p_k (multiclass: softmax is unchanged by adding a constant to every
 * logit, so only the centred logit is a property of the predictions).
 */
export function outputWeights(task: TaskKind, units: number, classIndex: number | null): Float64Array {
  if (task === 'regression') return Float64Array.of(1);
  const c = classIndex ?? 0;
  if (task === 'binary') return Float64Array.of(c === 1 ? 1 : -1);
  const v = new Float64Array(units).fill(-1 / units);
  v[c] = (v[c] as number) + 1;
  return v;
}
