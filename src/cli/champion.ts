// --champion MODELDIR for `millrace run` and `millrace review`: a saved bundle loaded, checked against the run's target and scored on the same test rows.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromArtifacts } from '../lib/ml/artifacts.ts';
import { championOutputs, checkChampion } from '../lib/ml/review/champion.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import type { DataTable, TaskKind, TransformBundle } from '../lib/pipeline/types.ts';
import { readJson } from './read-data.ts';
import { readWeights } from './model-weights.ts';

/** The model folder: DIR/model when DIR is a run's OUT folder, else DIR itself. */
export function modelDir(dir: string): string {
  return existsSync(join(dir, 'model', 'model.json')) ? join(dir, 'model') : dir;
}

export interface CliChampion {
  label: string;
  bundle: TransformBundle;
  network: Awaited<ReturnType<typeof modelFromArtifacts>>;
}

/** Loads the champion bundle of --champion DIR (a run's OUT folder or its model/ folder); the TF.js backend must be chosen. */
export async function loadChampion(dir: string): Promise<CliChampion> {
  const folder = modelDir(dir);
  if (!existsSync(join(folder, 'model.json'))) throw new AppError('not-found', `--champion ${dir} holds no model.json (a run's OUT folder or its model/ folder)`, { file: dir });
  const [modelJson, bundle] = await Promise.all([readJson('--champion', join(folder, 'model.json')), readJson('--champion', join(folder, 'transforms.json')) as Promise<TransformBundle>]);
  const weights = await readWeights(folder, modelJson);
  const network = await modelFromArtifacts(modelJson, weights);
  return { label: `--champion ${dir}`, bundle, network };
}

/** Refuses a champion trained for another target (or kind of task), naming both; `task` null: not known yet. */
export function checkCliChampion(champion: CliChampion, target: string, task: TaskKind | null): void {
  checkChampion(
    { label: champion.label, target: champion.bundle.target, task: champion.bundle.task },
    { label: 'the run', target, task: task ?? champion.bundle.task },
  );
}

/** The champion's outputs on `testRows` of the table the candidate is reviewed on, in the candidate's class order. */
export async function cliChampionOutputs(champion: CliChampion, candidate: TransformBundle, table: DataTable, testRows: Int32Array): Promise<Float32Array> {
  checkCliChampion(champion, candidate.target, candidate.task);
  return championOutputs(champion.network, champion.bundle, table, testRows, candidate.classes ?? [], champion.label);
}
