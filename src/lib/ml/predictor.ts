// A trained model of either family: a TF.js network (linear or MLP) or gradient-boosted trees, scored through one function.
import type * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../pipeline/types.ts';
import { HistogramKernel } from './gbdt/kernel.ts';
import { TreeModel } from './trees/tree-model.ts';

/** What training produces and scoring reads: a TF.js layers model, or trees (which are not a TF.js model). */
export type Predictor = tf.LayersModel | TreeModel;

/** Whether the model is gradient-boosted trees. */
export function isTrees(model: Predictor): model is TreeModel {
  return model instanceof TreeModel;
}

/** Numbers per row the model outputs (1 for a binary or regression model, the class count for more classes). */
export function outputWidth(model: Predictor): number {
  if (isTrees(model)) return model.outputWidth;
  return (model.outputs[0]?.shape[1] as number | undefined) ?? 1;
}

let treesEngineName: string | undefined;

/** What trees train and score on here (they never use a TF.js backend): WebAssembly with SIMD, plain WebAssembly, or JavaScript. */
export function treesEngine(): string {
  treesEngineName ??= { simd: 'WebAssembly SIMD', wasm: 'WebAssembly', js: 'JavaScript' }[new HistogramKernel(256).kind];
  return treesEngineName;
}

/** Where a model of `kind` computes: the TF.js backend for a network, the trees' own engine for trees. */
export function computedOn(kind: ModelKind | 'auto' | undefined, backend: string): string {
  return kind === 'gbdt' ? treesEngine() : backend;
}
