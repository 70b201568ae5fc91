// The bundle files of a `millrace run`: one call of the export's exportFiles for OUT/model/ and for a registry version (--register).
import { exportFiles } from '../lib/ml/export.ts';
import type { RunPreparation } from '../lib/contracts/training.ts';
import type { ModelCardInfo } from '../lib/pipeline/model-card.ts';
import type { PipelineSpec } from '../lib/pipeline/spec/types.ts';

export interface RunBundleInput {
  modelJson: unknown;
  weights: ArrayBuffer | Uint8Array;
  /** The model card without its name and version (given per bundle). */
  card: Omit<ModelCardInfo, 'name' | 'version' | 'preparation'>;
  preparation: RunPreparation;
  spec: PipelineSpec;
  /** The evaluation report with the review verdict (review.json: a registry reads the verdict from it). */
  review: unknown;
  /** reference.json: the drift reference of the run (its training columns and test predictions, sketched). */
  reference?: unknown;
}

/**
 * The bundle's files with `name`, version `version` on its card: exportFiles' list (model, weights, transforms,
 * recipe.json, pipeline.json, review.json, metrics, card, README.md, predict.mjs and manifest.json).
 */
export function runBundleFiles(input: RunBundleInput, name: string, version: number): Record<string, Uint8Array> {
  return exportFiles({
    modelJson: input.modelJson,
    weights: input.weights,
    card: { ...input.card, name, version, preparation: input.preparation },
    spec: input.spec,
    review: input.review,
    ...(input.reference !== undefined ? { reference: input.reference } : {}),
  });
}
