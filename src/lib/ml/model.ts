// Builds the trainable models: linear/logistic/softmax regression or an MLP with relu, tanh or gelu hidden layers.
import * as tf from '@tensorflow/tfjs';
import type { ModelKind, TaskKind } from '../pipeline/types.ts';

/** What the network's output means; it decides the last activation and the loss. */
export interface ModelSpec {
  kind: ModelKind;
  task: TaskKind;
  /** Input width (columns of the transformed matrix). */
  width: number;
  /** Number of classes (classification) — ignored for regression. */
  classCount: number;
  /** Hidden layer sizes for the MLP; ignored for 'linear'. */
  hidden: number[];
  seed: number;
  /** Activation of the MLP's hidden layers; relu by default. */
  activation?: HiddenActivation;
}

/** Activations a hidden layer can have. */
export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'gelu'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

/** Default hidden layers for an MLP when none are given. */
export const DEFAULT_HIDDEN = [32];

/** Output units: 1 for binary (sigmoid) and regression, k for multiclass (softmax). */
export function outputUnits(task: TaskKind, classCount: number): number {
  return task === 'multiclass' ? classCount : 1;
}

/**
 * A Sequential model whose output is what callers want: probabilities (sigmoid/softmax) or values.
 * Every initializer is seeded from `spec.seed`, so the same spec builds the same weights.
 */
export function buildModel(spec: ModelSpec): tf.Sequential {
  if (spec.width < 1) throw new Error('The model needs at least one input column');
  const hidden = spec.kind === 'mlp' ? (spec.hidden.length ? spec.hidden : DEFAULT_HIDDEN) : [];
  const model = tf.sequential();
  let seed = spec.seed >>> 0;
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: spec.activation ?? 'relu',
        inputShape: i === 0 ? [spec.width] : undefined,
        kernelInitializer: tf.initializers.heNormal({ seed: seed++ }),
        biasInitializer: 'zeros',
        name: `hidden_${i + 1}`,
      }),
    );
  });
  const activation = spec.task === 'binary' ? 'sigmoid' : spec.task === 'multiclass' ? 'softmax' : 'linear';
  model.add(
    tf.layers.dense({
      units: outputUnits(spec.task, spec.classCount),
      activation,
      inputShape: hidden.length === 0 ? [spec.width] : undefined,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }),
      biasInitializer: 'zeros',
      name: 'output',
    }),
  );
  return model;
}

/** The kernel and bias variables of each dense layer, in order, for a hand-written training step. */
export interface DenseWeights {
  kernel: tf.Variable;
  bias: tf.Variable;
  /** The hidden activation; 'linear' for the output layer, whose activation the loss applies to logits. */
  activation: HiddenActivation | 'linear';
}

/** Reads the dense layers' variables out of a model built by `buildModel`. */
export function denseWeights(model: tf.LayersModel): DenseWeights[] {
  return model.layers.map((layer, i) => {
    const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    if (!kernel || !bias) throw new Error(`Layer ${layer.name} has no kernel and bias`);
    const configured = String(layer.getConfig().activation ?? 'relu');
    const activation = (HIDDEN_ACTIVATIONS as readonly string[]).includes(configured) ? (configured as HiddenActivation) : 'relu';
    return { kernel, bias, activation: i < model.layers.length - 1 ? activation : 'linear' };
  });
}
