// The export bundle's files for a trained model, the same in the studio (zipped) and the CLI (a folder).
import { modelCard, type ModelCardInfo } from '../pipeline/model-card.ts';
import type { RunPreparation } from '../contracts/training.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import type { ModelKind } from '../pipeline/types.ts';
import { bundleReadme } from '../pipeline/bundle/readme.ts';
import { specJson } from '../pipeline/spec/validate.ts';
import { bundleFiles } from './bundle.ts';
import { isTreesJson } from './trees/tree-model.ts';
import type { TreesJson } from '../contracts/trees.ts';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * How a model is named on its card, e.g. "MLP (32, 16)", "linear" or "gradient-boosted trees (100 rounds, 31
 * leaves)" (rounds and leaves when known: the trees' model.json says how many rounds were kept).
 */
export function modelLabel(params: { kind: ModelKind; hidden?: number[]; rounds?: number; leaves?: number }): string {
  if (params.kind === 'gbdt') {
    const size = [params.rounds === undefined ? '' : count(params.rounds, 'round', 'rounds'), params.leaves === undefined ? '' : count(params.leaves, 'leaf', 'leaves')].filter(Boolean);
    return `gradient-boosted trees${size.length ? ` (${size.join(', ')})` : ''}`;
  }
  return params.kind === 'mlp' ? `MLP (${(params.hidden ?? []).join(', ')})` : 'linear';
}

/** A tree model's rounds kept and most leaves per tree, from its model.json. */
export function treesSize(json: TreesJson): { rounds: number; leaves: number | null } {
  const leaves = json.params?.['maxLeafNodes'];
  return { rounds: json.rounds, leaves: typeof leaves === 'number' ? leaves : null };
}

export interface ExportInput {
  modelJson: unknown;
  weights: ArrayBuffer | Uint8Array;
  /** What the model card says: name, version, data file and hash, plan, bundle, evaluation, backend, seed. */
  card: ModelCardInfo;
  /** pipeline.json: the spec the run ran, with the model's decision (specForModel); left out when undefined. */
  spec?: PipelineSpec | undefined;
  /** review.json: the run's evaluation report (null when the run has none); left out when undefined. */
  review?: unknown;
  /** reference.json: the model's drift reference (referenceJson); left out when undefined. */
  reference?: unknown;
}

/**
 * Every file of the bundle, the same in the studio's zip and the CLI's folder: model.json, weights.bin (not for
 * trees: their model.json is the whole model), transforms.json, recipe.json, pipeline.json, review.json,
 * metrics.json, model-card.md, README.md, predict.mjs and
 * manifest.json (the SHA-256 of every other file and the format, millrace.bundle/1).
 */
export function exportFiles(input: ExportInput): Record<string, Uint8Array> {
  const trees = isTreesJson(input.modelJson) ? treesSize(input.modelJson) : undefined;
  // A tree model is named by what its model.json holds (rounds kept after early stopping), whatever the caller passed.
  const card = trees ? { ...input.card, model: modelLabel({ kind: 'gbdt', rounds: trees.rounds, ...(trees.leaves !== null ? { leaves: trees.leaves } : {}) }) } : input.card;
  const steps = card.preparation ? [...card.preparation.recipeSteps, ...card.preparation.privacySteps] : [];
  return bundleFiles({
    modelJson: input.modelJson,
    weights: input.weights,
    bundle: card.bundle,
    evaluation: card.evaluation,
    card: modelCard(card),
    recipe: recipeFile(card.preparation),
    pipeline: input.spec === undefined ? undefined : specJson(input.spec),
    review: input.review,
    ...(input.reference !== undefined ? { reference: input.reference } : {}),
    readme: bundleReadme({
      name: card.name,
      version: card.version,
      target: card.bundle.target,
      task: card.bundle.task,
      classes: card.bundle.classes,
      decision: decisionOf(card, input.spec),
      steps,
      trees,
    }),
  });
}

/** The decision predict.mjs will use: pipeline.json's review threshold (the card's when there is no spec). */
function decisionOf(card: ModelCardInfo, spec: PipelineSpec | undefined): { threshold: number; positiveClass: string } | undefined {
  if (card.bundle.task !== 'binary') return undefined;
  if (!spec) return card.decision;
  const threshold = spec.review?.threshold;
  if (threshold === undefined) return undefined;
  return { threshold, positiveClass: spec.review?.positiveClass ?? card.bundle.classes?.at(-1) ?? '' };
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
 * class as the review policy's, so that a scorer reading the bundle (predict.mjs, millrace score) decides as the studio
 * does; a model saved without a threshold decides by the most probable class, so its spec states none.
 */
export function specForModel(spec: PipelineSpec, decision: { threshold?: number | undefined; positiveClass?: string | undefined }): PipelineSpec {
  if (decision.threshold === undefined) {
    if (spec.review?.threshold === undefined && spec.review?.positiveClass === undefined) return spec;
    const { threshold: _threshold, positiveClass: _positive, ...review } = spec.review;
    return { ...spec, review };
  }
  return { ...spec, review: { ...(spec.review ?? {}), threshold: decision.threshold, ...(decision.positiveClass !== undefined ? { positiveClass: decision.positiveClass } : {}) } };
}
