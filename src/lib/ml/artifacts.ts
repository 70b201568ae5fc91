// A model as files: a network's model.json (topology + weights manifest pointing at weights.bin) and weights bytes, or the trees' model.json.
import * as tf from '@tensorflow/tfjs';
import type { ModelArtifactsPair, ModelJson, WeightEntry } from '../contracts/training.ts';
import { isTrees, type Predictor } from './predictor.ts';
import { isTreesJson, TreeModel } from './trees/tree-model.ts';

export type { ModelArtifactsPair, ModelJson };


/**
 * A model as files without touching the network or disk: a network through `tf.io.withSaveHandler`; trees as
 * their model.json (format millrace.trees/1) with no weights bytes.
 */
export async function modelToArtifacts(model: Predictor): Promise<ModelArtifactsPair> {
  if (isTrees(model)) return { modelJson: model.toJson(), weights: new ArrayBuffer(0) };
  let captured: ModelArtifactsPair | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      captured = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology as object,
          weightsManifest: [{ paths: ['weights.bin'], weights: (artifacts.weightSpecs ?? []) as WeightEntry[] }],
        },
        weights,
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!captured) throw new Error('The model could not be serialized');
  return captured;
}

function isModelJson(value: unknown): value is ModelJson {
  const json = value as Partial<ModelJson> | null;
  return !!json && typeof json === 'object' && !!json.modelTopology && Array.isArray(json.weightsManifest);
}

/** Rebuilds a model from model.json and the weights bytes: trees from their JSON, a network via `tf.io.fromMemory`. */
export async function modelFromArtifacts(modelJson: unknown, weights: ArrayBuffer): Promise<Predictor> {
  if (isTreesJson(modelJson)) return TreeModel.fromJson(modelJson);
  if (!isModelJson(modelJson)) throw new Error('model.json has no modelTopology or weightsManifest');
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weights }),
  );
}

/** The model's size for the review's size check: the weights bytes, or a tree model's model.json (its trees). */
export function modelSizeBytes(modelJson: unknown, weightsBytes: number): number {
  return isTreesJson(modelJson) ? new TextEncoder().encode(JSON.stringify(modelJson)).length : weightsBytes;
}
