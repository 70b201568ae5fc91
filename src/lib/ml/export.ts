// The export bundle's files for a trained model, the same in the studio (zipped) and the CLI (a folder).
import { modelCard, type ModelCardInfo } from '../pipeline/model-card.ts';
import type { RunPreparation } from '../contracts/training.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import type { ModelKind } from '../pipeline/types.ts';
import { bundleFiles } from './bundle.ts';

/** How a model is named on its card, e.g. "MLP (32, 16)" or "linear". */
export function modelLabel(params: { kind: ModelKind; hidden?: number[] }): string {
  return params.kind === 'mlp' ? `MLP (${(params.hidden ?? []).join(', ')})` : 'linear';
}

export interface ExportInput {
  modelJson: unknown;
  weights: ArrayBuffer | Uint8Array;
  /** What the model card says: name, version, data file and hash, plan, bundle, evaluation, backend, seed. */
  card: ModelCardInfo;
}

/** model.json, weights.bin, transforms.json, metrics.json and model-card.md as bytes. */
export function exportFiles(input: ExportInput): Record<string, Uint8Array> {
  const { card } = input;
  return bundleFiles({
    modelJson: input.modelJson,
    weights: input.weights,
    bundle: card.bundle,
    evaluation: card.evaluation,
    card: modelCard(card),
  });
}

/**
 * The bundle's recipe.json, the same in the studio's zip and the CLI's folder, and readable by
 * `millrace check --recipe`: the steps a file goes through before the transforms (the recipe's, then those of
 * the privacy decisions). Hash steps use the salt of the workspace the model was trained in; it is not included.
 */
export function recipeFile(preparation: RunPreparation | undefined): Uint8Array {
  const steps = preparation ? [...preparation.recipeSteps, ...preparation.privacySteps] : [];
  const content = {
    format: 'millrace.recipe/1',
    recipeVersion: preparation?.recipeVersion ?? 0,
    suiteVersion: preparation?.suiteVersion ?? 0,
    steps,
    ...(steps.some((step) => step.kind === 'hash') ? { salt: 'Hash steps use the salt of the workspace the model was trained in; it is not part of this bundle.' } : {}),
  };
  return new TextEncoder().encode(JSON.stringify(content, null, 2) + '\n');
}

/**
 * The spec a saved model's bundle carries (pipeline.json): its run's, with the model's decision threshold and positive
 * class as the review policy's, so that a scorer reading the bundle decides as the studio does.
 */
export function specForModel(spec: PipelineSpec, decision: { threshold?: number | undefined; positiveClass?: string | undefined }): PipelineSpec {
  if (decision.threshold === undefined) return spec;
  return { ...spec, review: { ...(spec.review ?? {}), threshold: decision.threshold, ...(decision.positiveClass !== undefined ? { positiveClass: decision.positiveClass } : {}) } };
}
