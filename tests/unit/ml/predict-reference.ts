// The reference for predict.mjs: the studio's scored CSV of a bundle folder (recipe, transforms, model — a network or trees —, saved threshold).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelFromArtifacts } from '../../../src/lib/ml/artifacts.ts';
import { scoreTable } from '../../../src/lib/ml/score.ts';
import { predictionsCsv } from '../../../src/lib/pipeline/csv-write.ts';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { applyRecipe } from '../../../src/lib/pipeline/recipe/apply.ts';
import { stepsForScoring } from '../../../src/lib/pipeline/recipe/scoring.ts';
import type { TransformBundle } from '../../../src/lib/pipeline/types.ts';

/** scoreTable + predictionsCsv on the data file after the bundle's recipe, as the ML worker's score does. */
export async function studioScored(dir: string, data: string): Promise<string> {
  const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  // A tree model's bundle has no weights.bin: its model.json is the whole model.
  const weights = existsSync(join(dir, 'weights.bin')) ? readFileSync(join(dir, 'weights.bin')) : new Uint8Array(0);
  const model = await modelFromArtifacts(json('model.json'), weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer);
  const transforms = json('transforms.json') as TransformBundle;
  const spec = json('pipeline.json');
  const parsed = parseFile(new Uint8Array(readFileSync(data)), basename(data));
  const steps = stepsForScoring(json('recipe.json').steps, parsed, transforms.target, basename(data));
  const table = steps.length > 0 ? (await applyRecipe(parsed, { steps })).table : parsed;
  const columns = await scoreTable(model, transforms, table, { threshold: spec.review?.threshold, positive: spec.review?.positiveClass });
  model.dispose();
  return predictionsCsv(table, columns);
}
