// The export bundle's files for a trained model, the same in the studio (zipped) and the CLI (a folder).
import { modelCard, type ModelCardInfo } from '../pipeline/model-card.ts';
import type { ModelKind } from '../pipeline/types.ts';
import { bundleFiles } from './bundle.ts';

/** How a model is named on its card, e.g. "MLP (32, 16)" or "linear". */
export function modelLabel(request: { model: ModelKind; hidden?: number[] }): string {
  return request.model === 'mlp' ? `MLP (${(request.hidden ?? []).join(', ')})` : 'linear';
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
