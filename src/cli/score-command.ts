// `millrace score`: a registry version (NAME@ALIAS, NAME@VERSION) or a model folder applied to a file with the studio's scoreFile; --rejects gets the rows the recipe drops with the reason.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { modelFromArtifacts } from '../lib/ml/artifacts.ts';
import { chooseBackend } from '../lib/ml/backend-node.ts';
import { scoreFile } from '../lib/ml/score-file.ts';
import { toCsv } from '../lib/pipeline/csv-write.ts';
import { concatBytes } from '../lib/pipeline/csv-bytes.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { parseFile } from '../lib/pipeline/parse.ts';
import { cleanHeader } from '../lib/pipeline/parse-csv.ts';
import type { RecipeStep } from '../lib/pipeline/recipe/types.ts';
import { parseSpec } from '../lib/pipeline/spec/validate.ts';
import type { TransformBundle } from '../lib/pipeline/types.ts';
import { readJson } from './read-data.ts';
import type { RegistryCommand } from './registry/args.ts';
import { parseModelRef, resolveModel } from './registry/ref.ts';
import { FolderRegistry, verifiedFiles, writeAtomic } from './registry/store.ts';
import { readWeights } from './model-weights.ts';

type ScoreCommand = Extract<RegistryCommand, { name: 'score' }>;

async function dataBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('not-found', `Cannot read --data ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error)}`, { file: path }, { cause: error });
  }
}

/**
 * Scores --data with the model of --model, as the studio's download (scoreFile: the file's columns after the
 * recipe, predicted_TARGET and probability_CLASS, the saved decision); a file missing a column the model or its
 * recipe reads is refused naming them all. Each output file is written whole or not at all.
 */
export async function scoreCommand(command: ScoreCommand): Promise<{ stdout: string; notices: string[] }> {
  const model = await resolveModel(parseModelRef(command.model, '--model'), new FolderRegistry(command.registry), '--model');
  const dir = model.dir;
  if (!existsSync(join(dir, 'model.json'))) throw new AppError('not-found', `--model ${command.model} holds no model.json (a registry version, a run's OUT folder or its model/ folder)`, { file: dir });
  // A bundle folder is scored only as it was saved (every file against its manifest.json, when it has one).
  await verifiedFiles(dir, model.label);
  const [modelJson, bundle, recipe, specJson] = await Promise.all([
    readJson('--model', join(dir, 'model.json')),
    readJson('--model', join(dir, 'transforms.json')) as Promise<TransformBundle>,
    existsSync(join(dir, 'recipe.json')) ? (readJson('--model', join(dir, 'recipe.json')) as Promise<{ steps?: RecipeStep[] }>) : Promise.resolve({ steps: [] }),
    existsSync(join(dir, 'pipeline.json')) ? readJson('--model', join(dir, 'pipeline.json')) : Promise.resolve(undefined),
  ]);
  const review = specJson === undefined ? null : parseSpec(specJson).review;
  const file = basename(command.data);
  const bytes = await dataBytes(command.data);
  await chooseBackend('auto');
  const weights = await readWeights(dir, modelJson);
  const network = await modelFromArtifacts(modelJson, weights);
  let scored: Awaited<ReturnType<typeof scoreFile>>;
  try {
    scored = await scoreFile(bytes, file, {
      network,
      bundle,
      steps: recipe.steps ?? [],
      decision: { threshold: review?.threshold, positive: review?.positiveClass },
      salt: command.salt ?? process.env.MILLRACE_SALT,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'unknown-column') throw new AppError(error.code, `${error.message} (${model.label}); nothing was written`, error.place, { cause: error });
    throw error;
  } finally {
    network.dispose();
  }
  await writeAtomic(command.out, concatBytes(scored.csv));
  if (command.rejects) {
    // No rejects: the header alone, so a file from an earlier run never stands in for this one's.
    const rejects = scored.rejects ? concatBytes(scored.rejects.csv) : new TextEncoder().encode(toCsv(cleanHeader(['row', ...parseFile(bytes, file).columns.map((c) => c.name), 'reason']), 0, () => null));
    await writeAtomic(command.rejects, rejects);
  }
  const dropped = scored.rowsIn - scored.rows;
  // scoreFile's notices, but the one pointing at "the rejects file": the summary line says where they are.
  const notices = scored.notices.filter((notice) => !notice.includes('dropped by the recipe'));
  const rejected = dropped
    ? `; ${dropped} row${dropped === 1 ? '' : 's'} dropped by the recipe${command.rejects ? ` (listed in ${command.rejects})` : ' (--rejects FILE lists them)'}`
    : '';
  return { stdout: `millrace: scored ${scored.rows} of ${scored.rowsIn} rows of ${file} with ${model.label}; wrote ${command.out}${rejected}`, notices };
}
