// The self-contained model bundle: every file of an export (with manifest.json), and the zip that carries them.
import { strToU8, zipSync, type Zippable } from 'fflate';
import { withManifest } from '../pipeline/bundle/manifest.ts';
import type { Evaluation, TransformBundle } from '../pipeline/types.ts';
import type { ModelJson } from './artifacts.ts';
import { PREDICT_MJS } from './predict-template/source.ts';
import { isTreesJson } from './trees/tree-model.ts';

/**
 * The file names of a bundle, in the order they are written; manifest.json (the SHA-256 of all others) is last.
 * A tree model's bundle has no weights.bin: its model.json (format millrace.trees/1) holds the whole model.
 */
export const BUNDLE_FILES = [
  'model.json',
  'weights.bin',
  'transforms.json',
  'recipe.json',
  'pipeline.json',
  'review.json',
  'metrics.json',
  'model-card.md',
  'README.md',
  'predict.mjs',
  'manifest.json',
] as const;

/** Written when the model has a drift reference: a seeded sample of up to 100k training rows of its input columns and target, and its test predictions (training data: see README.md). */
export const REFERENCE_FILE = 'reference.json';

export interface BundleParts {
  modelJson: ModelJson | unknown;
  /** A network's weights (weights.bin); ignored for trees, which have none. */
  weights: ArrayBuffer | Uint8Array;
  bundle: TransformBundle;
  evaluation: Evaluation;
  /** The model card as Markdown. */
  card: string;
  /** recipe.json's bytes (see recipeFile). */
  recipe: Uint8Array;
  /** pipeline.json's text, when known (the spec the run ran, with the model's decision threshold). */
  pipeline?: string | undefined;
  /** review.json's content (the run's evaluation report; null when the run has none), when known. */
  review?: unknown;
  /** README.md. */
  readme: string;
  /** reference.json's content (the model's drift reference as sketchToJson writes it), when it has one. */
  reference?: unknown;
}

const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2) + '\n');

/**
 * Every file of a bundle as bytes, manifest.json last. pipeline.json and review.json are left out when their part
 * is undefined (a caller adding them itself must then rewrite the manifest with withManifest); weights.bin when the
 * model is gradient-boosted trees.
 */
export function bundleFiles(parts: BundleParts): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = { 'model.json': json(parts.modelJson) };
  if (!isTreesJson(parts.modelJson)) files['weights.bin'] = parts.weights instanceof Uint8Array ? parts.weights : new Uint8Array(parts.weights);
  files['transforms.json'] = json(parts.bundle);
  files['recipe.json'] = parts.recipe;
  if (parts.pipeline !== undefined) files['pipeline.json'] = strToU8(parts.pipeline);
  if (parts.review !== undefined) files['review.json'] = json(parts.review);
  files['metrics.json'] = json(parts.evaluation);
  files['model-card.md'] = strToU8(parts.card);
  files['README.md'] = strToU8(parts.readme);
  files['predict.mjs'] = strToU8(PREDICT_MJS);
  if (parts.reference !== undefined) files[REFERENCE_FILE] = strToU8(JSON.stringify(parts.reference) + '\n');
  return withManifest(files);
}

/** A zip of the files; a fixed timestamp keeps the bytes identical for identical inputs. */
export function zipBundle(files: Record<string, Uint8Array>): Uint8Array {
  const mtime = new Date('2000-01-01T00:00:00Z');
  const entries: Zippable = {};
  for (const [name, data] of Object.entries(files)) entries[name] = [data, { mtime }];
  return zipSync(entries, { level: 6 });
}
