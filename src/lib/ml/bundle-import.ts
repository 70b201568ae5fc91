// Reading a model bundle zip for import: every manifest hash checked, then its model, transforms, spec, review and card parsed.
import { strFromU8 } from 'fflate';
import { readBundleZip } from '../pipeline/bundle/zip.ts';
import type { BundleManifest } from '../pipeline/bundle/manifest.ts';
import { AppError } from '../pipeline/errors.ts';
import type { PipelineSpec } from '../pipeline/spec/types.ts';
import { parseSpec } from '../pipeline/spec/validate.ts';
import type { Evaluation, TransformBundle } from '../pipeline/types.ts';
import type { ModelBundleParts } from '../contracts/training.ts';
import { referenceFromJson, type ReferenceSketches } from '../pipeline/monitor/reference-json.ts';
import { REFERENCE_FILE } from './bundle.ts';
import { isTreesJson, TreeModel } from './trees/tree-model.ts';

/** reference.json's sketches; a bad one is refused naming the file. */
function readReference(value: unknown): ReferenceSketches {
  try {
    return referenceFromJson(value, REFERENCE_FILE);
  } catch (error) {
    throw new AppError('bad-bundle', `${REFERENCE_FILE}: ${(error as Error).message}; refused`, { file: REFERENCE_FILE }, { cause: error });
  }
}

/** The files a bundle must hold to be imported (README.md and predict.mjs are optional; weights.bin is not needed by trees). */
export const REQUIRED_FILES = ['model.json', 'weights.bin', 'transforms.json', 'recipe.json', 'pipeline.json', 'metrics.json', 'model-card.md'] as const;

/** A verified bundle: the parts the registry stores (ModelBundleParts), with its manifest; reference.json null when absent. */
export type ImportedBundle = ModelBundleParts & { manifest: BundleManifest; reference: ReferenceSketches | null };

function json(files: Record<string, Uint8Array>, name: string): unknown {
  try {
    return JSON.parse(strFromU8(files[name]!));
  } catch (error) {
    throw new AppError('bad-bundle', `${name} is not valid JSON; refused`, { file: name }, { cause: error });
  }
}

/**
 * Verifies and reads a bundle zip (see readBundleZip: a changed, missing or extra file, an unsafe entry, more than
 * 1 GB or a newer format is refused naming it), then parses its parts; a missing required file or a bad part is
 * AppError 'bad-bundle' naming the file.
 */
export function readModelBundle(zip: Uint8Array, fileName: string): ImportedBundle {
  const { files, manifest } = readBundleZip(zip, fileName);
  // Gradient-boosted trees (model.json of format millrace.trees/1) are the whole model: no weights.bin.
  const trees = !!files['model.json'] && isTreesJson(json(files, 'model.json'));
  for (const name of REQUIRED_FILES) {
    if (!files[name] && !(trees && name === 'weights.bin')) throw new AppError('bad-bundle', `${fileName} has no ${name}; refused`, { file: name });
  }
  const modelJson = json(files, 'model.json');
  if (trees) {
    try {
      TreeModel.fromJson(modelJson);
    } catch (error) {
      throw new AppError('bad-bundle', `${(error as Error).message}; refused`, { file: 'model.json' }, { cause: error });
    }
  }
  const card = strFromU8(files['model-card.md']!);
  const heading = /^# (.+) — version \d+\s*$/m.exec(card);
  if (!heading) throw new AppError('bad-bundle', `model-card.md does not name the model ("# NAME — version N"); refused`, { file: 'model-card.md' });
  const transforms = json(files, 'transforms.json') as TransformBundle;
  if (transforms?.format !== 'millrace.transforms/1' || typeof transforms.target !== 'string') {
    throw new AppError('bad-bundle', 'transforms.json is not a millrace.transforms/1 bundle; refused', { file: 'transforms.json' });
  }
  const recipe = json(files, 'recipe.json') as ImportedBundle['recipe'] & { format?: string };
  if (recipe?.format !== 'millrace.recipe/1' || !Array.isArray(recipe.steps)) throw new AppError('bad-bundle', 'recipe.json is not a millrace.recipe/1 recipe; refused', { file: 'recipe.json' });
  let spec: PipelineSpec;
  try {
    spec = parseSpec(strFromU8(files['pipeline.json']!));
  } catch (error) {
    throw new AppError('bad-bundle', `pipeline.json: ${(error as Error).message}; refused`, { file: 'pipeline.json' }, { cause: error });
  }
  if (spec.target !== transforms.target) {
    throw new AppError('bad-bundle', `pipeline.json's target "${spec.target}" is not transforms.json's "${transforms.target}"; refused`, { file: 'pipeline.json' });
  }
  return {
    manifest,
    name: heading[1]!.replace(/\\(.)/g, '$1'),
    modelJson,
    weights: files['weights.bin'] ?? new Uint8Array(0),
    transforms,
    recipe,
    spec,
    evaluation: json(files, 'metrics.json') as Evaluation,
    review: files['review.json'] ? json(files, 'review.json') : null,
    reference: files[REFERENCE_FILE] ? readReference(json(files, REFERENCE_FILE)) : null,
    card,
    lineage: { dataset: spec.input.dataset ?? null, version: spec.input.version ?? null, sha256: spec.input.sha256 ?? null },
  };
}
