// The bundle files of a `millrace run`: one list for OUT/model/ and for a registry version (--register), with review.json and manifest.json.
import { exportFiles, recipeFile } from '../lib/ml/export.ts';
import type { RunPreparation } from '../lib/contracts/training.ts';
import { withManifest } from '../lib/pipeline/bundle/manifest.ts';
import type { ModelCardInfo } from '../lib/pipeline/model-card.ts';
import type { PipelineSpec } from '../lib/pipeline/spec/types.ts';
import { specJson } from '../lib/pipeline/spec/validate.ts';

export interface RunBundleInput {
  modelJson: unknown;
  weights: ArrayBuffer | Uint8Array;
  /** The model card without its name and version (given per bundle). */
  card: Omit<ModelCardInfo, 'name' | 'version' | 'preparation'>;
  preparation: RunPreparation;
  spec: PipelineSpec;
  /** The evaluation report with the review verdict (review.json: a registry reads the verdict from it). */
  review: unknown;
}

/**
 * The bundle's files named `name`, version `version` on its card: the export's files, recipe.json, pipeline.json,
 * review.json (unless the export already writes one) and manifest.json with the SHA-256 of every other file.
 */
export function runBundleFiles(input: RunBundleInput, name: string, version: number): Record<string, Uint8Array> {
  const files = exportFiles({
    modelJson: input.modelJson,
    weights: input.weights,
    card: { ...input.card, name, version, preparation: input.preparation },
  });
  files['recipe.json'] = recipeFile(input.preparation);
  files['pipeline.json'] = new TextEncoder().encode(specJson(input.spec));
  files['review.json'] ??= new TextEncoder().encode(JSON.stringify(input.review, null, 2) + '\n');
  return withManifest(files);
}
