// `millrace score`: a registry version (NAME@ALIAS, NAME@VERSION) or a model folder applied to a file: recipe, transforms, model and decision; rows the recipe drops go to --rejects with the reason.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { modelFromArtifacts } from '../lib/ml/artifacts.ts';
import { chooseBackend } from '../lib/ml/backend-node.ts';
import { scoreTable } from '../lib/ml/score.ts';
import { predictionsCsv, toCsv } from '../lib/pipeline/csv-write.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { runRecipe } from '../lib/pipeline/recipe/apply.ts';
import { stepColumns, stepName } from '../lib/pipeline/recipe/columns.ts';
import { describeStep } from '../lib/pipeline/recipe/describe.ts';
import { stepsForScoring } from '../lib/pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../lib/pipeline/recipe/types.ts';
import { parseSpec } from '../lib/pipeline/spec/validate.ts';
import type { PipelineSpec } from '../lib/pipeline/spec/types.ts';
import { cellValue } from '../lib/pipeline/table.ts';
import type { DataTable, TransformBundle } from '../lib/pipeline/types.ts';
import { readJson, readTable } from './read-data.ts';
import type { RegistryCommand } from './registry/args.ts';
import { parseModelRef, resolveModel } from './registry/ref.ts';
import { FolderRegistry, verifiedFiles, writeAtomic } from './registry/store.ts';

type ScoreCommand = Extract<RegistryCommand, { name: 'score' }>;

/** The source columns the model's features read (a ratio or difference reads two). */
export function modelColumns(bundle: TransformBundle): string[] {
  const out = new Set<string>();
  for (const feature of bundle.features) {
    out.add(feature.column);
    if ('column2' in feature) out.add(feature.column2);
  }
  return [...out];
}

/** The recipe applied step by step: the cleaned table, and each dropped input row with the step that dropped it. */
async function applyWithRejects(raw: DataTable, steps: RecipeStep[], salt: string | undefined): Promise<{ table: DataTable; rejects: { row: number; reason: string }[] }> {
  let table = raw;
  let rows = Int32Array.from({ length: raw.rowCount }, (_, i) => i);
  const rejects: { row: number; reason: string }[] = [];
  for (const [index, step] of steps.entries()) {
    const run = await runRecipe(table, [step], salt ? { salt } : {});
    if (run.rows) {
      const kept = run.rows.map((r) => rows[r]!);
      const keptSet = new Set(kept);
      const reason = `${stepName(index, step)}: ${describeStep(step)}`;
      for (const r of rows) if (!keptSet.has(r)) rejects.push({ row: r, reason });
      rows = kept;
    }
    table = run.table;
  }
  rejects.sort((a, b) => a.row - b.row);
  return { table, rejects };
}

/** The rejected rows as CSV: the input row number (0-based record index), the input columns, the reason. */
function rejectsCsv(raw: DataTable, rejects: { row: number; reason: string }[]): string {
  const header = ['row', ...raw.columns.map((c) => c.name), 'reason'];
  const width = raw.columns.length;
  return toCsv(header, rejects.length, (i, c) => {
    const reject = rejects[i]!;
    if (c === 0) return reject.row;
    if (c === width + 1) return reject.reason;
    return cellValue(raw.columns[c - 1]!, reject.row);
  });
}

/**
 * Scores --data with the model of --model and writes --out (the cleaned input columns, predicted_TARGET and
 * probability_CLASS, as the studio's download); a file missing a column the model reads is refused naming it.
 */
export async function scoreCommand(command: ScoreCommand): Promise<{ stdout: string; notices: string[] }> {
  const model = await resolveModel(parseModelRef(command.model, '--model'), new FolderRegistry(command.registry), '--model');
  const dir = model.dir;
  if (!existsSync(join(dir, 'model.json'))) throw new AppError('not-found', `--model ${command.model} holds no model.json (a registry version, a run's OUT folder or its model/ folder)`, { file: dir });
  // A bundle folder is scored only as it was saved (every file against its manifest.json, when it has one).
  await verifiedFiles(dir, model.label);
  await chooseBackend('auto');
  const [modelJson, bundle, recipe, specJson] = await Promise.all([
    readJson('--model', join(dir, 'model.json')),
    readJson('--model', join(dir, 'transforms.json')) as Promise<TransformBundle>,
    existsSync(join(dir, 'recipe.json')) ? (readJson('--model', join(dir, 'recipe.json')) as Promise<{ steps?: RecipeStep[] }>) : Promise.resolve({ steps: [] }),
    existsSync(join(dir, 'pipeline.json')) ? readJson('--model', join(dir, 'pipeline.json')) : Promise.resolve(undefined),
  ]);
  const spec: PipelineSpec | undefined = specJson === undefined ? undefined : parseSpec(specJson);
  const { table: raw } = await readTable(command.data, spec?.input ?? {});
  const file = basename(command.data);
  const names = new Set(raw.columns.map((c) => c.name));
  const missing = modelColumns(bundle).filter((column) => !names.has(column));
  if (missing.length) {
    throw new AppError('unknown-column', `${file} has no column ${missing.map((c) => `"${c}"`).join(', ')}, which ${model.label} needs as ${missing.length === 1 ? 'a feature' : 'features'}; nothing was written`, { file, column: missing[0]! });
  }
  const steps = stepsForScoring(recipe.steps ?? [], raw, bundle.target, file);
  const used = new Set([...modelColumns(bundle), bundle.target, ...steps.flatMap(stepColumns)]);
  const extra = raw.columns.map((c) => c.name).filter((name) => !used.has(name));
  const { table, rejects } = await applyWithRejects(raw, steps, command.salt ?? process.env.MILLRACE_SALT);
  const weights = await readFile(join(dir, 'weights.bin'));
  const network = await modelFromArtifacts(modelJson, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer);
  let csv: string;
  try {
    const columns = await scoreTable(network, bundle, table, { threshold: spec?.review?.threshold, positive: spec?.review?.positiveClass });
    csv = predictionsCsv(table, columns);
  } finally {
    network.dispose();
  }
  // Each file appears whole or not at all.
  await writeAtomic(command.out, csv);
  if (command.rejects) await writeAtomic(command.rejects, rejectsCsv(raw, rejects));
  const notices = extra.length ? [`ignored ${extra.length} column${extra.length === 1 ? '' : 's'} the model does not use: ${extra.map((c) => `"${c}"`).join(', ')}`] : [];
  const rejected = rejects.length
    ? `; ${rejects.length} row${rejects.length === 1 ? '' : 's'} dropped by the recipe${command.rejects ? ` (listed in ${command.rejects})` : ' (--rejects FILE lists them)'}`
    : '';
  return { stdout: `millrace: scored ${table.rowCount} of ${raw.rowCount} rows of ${file} with ${model.label}; wrote ${command.out}${rejected}`, notices };
}
