// A model as files: model.json (topology + weights manifest pointing at weights.bin) and the weights bytes.
import * as tf from '@tensorflow/tfjs';
import type { ModelArtifactsPair, ModelJson, WeightEntry } from '../contracts/training.ts';

export type { ModelArtifactsPair, ModelJson };


/** Serializes a model through `tf.io.withSaveHandler` without touching the network or disk. */
export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifactsPair> {
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

/** Rebuilds a model from model.json and the weights bytes via `tf.io.fromMemory`. */
export async function modelFromArtifacts(modelJson: unknown, weights: ArrayBuffer): Promise<tf.LayersModel> {
  if (!isModelJson(modelJson)) throw new Error('model.json has no modelTopology or weightsManifest');
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[];
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weights }),
  );
}
