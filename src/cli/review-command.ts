// `millrace review`: a saved model scored on a file with its target, checked against the review policy; exit 3 when the verdict fails.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { modelFromArtifacts, modelSizeBytes } from '../lib/ml/artifacts.ts';
import { chooseBackend } from '../lib/ml/backend-node.ts';
import { predictTable } from '../lib/ml/predict.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import { checkPolicyColumns, type ReviewPolicy, type ReviewVerdict } from '../lib/pipeline/review/policy.ts';
import { evaluationReport } from '../lib/pipeline/review/report.ts';
import { reviewHtml } from '../lib/pipeline/review/html/report-html.ts';
import { baselineOutputs } from '../lib/ml/review/predictions.ts';
import { applyRecipe } from '../lib/pipeline/recipe/apply.ts';
import { stepsForScoring } from '../lib/pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../lib/pipeline/recipe/types.ts';
import { parseSpec } from '../lib/pipeline/spec/validate.ts';
import { getColumn } from '../lib/pipeline/table.ts';
import { applyTransforms, encodeTarget } from '../lib/pipeline/transforms.ts';
import type { TransformBundle } from '../lib/pipeline/types.ts';
import type { Command } from './args.ts';
import { checkCliChampion, cliChampionOutputs, loadChampion } from './champion.ts';
import { readJson, readTable } from './read-data.ts';
import { parseModelRef, resolveModel } from './registry/ref.ts';
import { FolderRegistry } from './registry/store.ts';
import { reviewFromFlags } from './spec-from-flags.ts';
import { readWeights } from './model-weights.ts';

type ReviewCommand = Extract<Command, { name: 'review' }>;

/** The model folder: DIR/model when DIR is a run's OUT folder, else DIR itself. */
function modelDir(dir: string): string {
  return existsSync(join(dir, 'model', 'model.json')) ? join(dir, 'model') : dir;
}

export interface ReviewOutcome {
  verdict: ReviewVerdict;
  /** One line: passed or failed, with the headline metric. */
  summary: string;
}

/**
 * Scores the saved model on --data (its recipe first, as at scoring) and checks the review policy: --policy
 * with --sensitive/--positive-class added, else the policy of the model's pipeline.json, else the default
 * (every headline metric better than a dummy fitted on the same file: the majority class or the mean).
 */
export async function reviewCommand(command: ReviewCommand): Promise<ReviewOutcome> {
  const ref = parseModelRef(command.model, '--model');
  const dir = ref.kind === 'dir' ? modelDir(command.model) : (await resolveModel(ref, new FolderRegistry(command.registry), '--model')).dir;
  if (!existsSync(join(dir, 'model.json'))) throw new AppError('not-found', `${command.model} holds no model.json (a run's OUT folder or its model/ folder)`, { file: command.model });
  // A bundle folder is sealed by its manifest (a changed review.json would fail its hash, and a registry reads its verdict there).
  const out = command.out ?? (ref.kind === 'dir' && !(dir === command.model && existsSync(join(dir, 'manifest.json'))) ? command.model : null);
  if (out === null) {
    throw new AppError('bad-argument', `millrace review does not write into the bundle folder of ${command.model} (its manifest.json seals its files, review.json among them): give --out DIR for review.json and review.html`, { file: dir });
  }
  await chooseBackend('auto');
  const [modelJson, bundle, recipe, specJson] = await Promise.all([
    readJson('--model', join(dir, 'model.json')),
    readJson('--model', join(dir, 'transforms.json')) as Promise<TransformBundle>,
    existsSync(join(dir, 'recipe.json')) ? (readJson('--model', join(dir, 'recipe.json')) as Promise<{ steps?: RecipeStep[] }>) : Promise.resolve({ steps: [] }),
    existsSync(join(dir, 'pipeline.json')) ? readJson('--model', join(dir, 'pipeline.json')) : Promise.resolve(undefined),
  ]);
  const spec = specJson === undefined ? undefined : parseSpec(specJson);
  const flagged = await reviewFromFlags({ params: {}, ...(command.policy ? { policy: command.policy } : {}), ...(command.sensitive ? { sensitive: command.sensitive } : {}), ...(command.positiveClass !== undefined ? { positiveClass: command.positiveClass } : {}) });
  const policy: ReviewPolicy | null = flagged ?? spec?.review ?? null;
  const weights = await readWeights(dir, modelJson);
  // --champion: another saved model of the same target, scored on the same rows (refused before the data is read otherwise).
  const champion = command.champion ? await loadChampion(command.champion) : undefined;
  if (champion) checkCliChampion(champion, bundle.target, bundle.task);
  const { table: raw } = await readTable(command.data, spec?.input ?? {});
  const file = basename(command.data);
  if (!raw.columns.some((c) => c.name === bundle.target)) {
    throw new AppError('unknown-column', `${file} has no column "${bundle.target}" (the target): a review needs the actual values`, { file, column: bundle.target });
  }
  checkPolicyColumns(policy, raw.columns);
  const steps = stepsForScoring(recipe.steps ?? [], raw, bundle.target, file);
  const salt = command.salt ?? process.env.MILLRACE_SALT;
  const table = steps.length ? (await applyRecipe(raw, { steps }, salt ? { salt } : {})).table : raw;
  getColumn(table, bundle.target);
  const network = await modelFromArtifacts(modelJson, weights);
  try {
    const all = Int32Array.from({ length: table.rowCount }, (_, i) => i);
    const target = encodeTarget(table, bundle, all);
    const rows = bundle.task === 'regression' ? all.filter((r) => !Number.isNaN(target[r]!)) : all.filter((r) => target[r]! >= 0);
    if (rows.length === 0) throw new AppError('too-few-rows', `${file} has no rows with a known "${bundle.target}" to review on`, { file });
    const x = applyTransforms(table, bundle, rows);
    const started = performance.now();
    const outputs = await predictTable(network, x, rows.length, bundle.width, bundle.task);
    const msPer1000Rows = ((performance.now() - started) / rows.length) * 1000;
    const championOutputs = champion ? await cliChampionOutputs(champion, bundle, table, rows) : undefined;
    const report = evaluationReport({
      task: bundle.task,
      classes: bundle.classes ?? [],
      actual: Float32Array.from(rows, (r) => target[r]!),
      outputs,
      // The dummy is fitted on the reviewed file itself: its class frequencies, or its mean.
      baselineOutputs: baselineOutputs(table, bundle, rows, rows.length),
      championOutputs,
      policy,
      sensitive: (policy?.sensitive ?? []).map((sensitive) => ({ spec: sensitive, column: getColumn(table, sensitive.column), rows })),
      bytes: modelSizeBytes(modelJson, weights.byteLength),
      msPer1000Rows,
    });
    // Beside the run's own evaluation.json/.html (its test rows), never over them: this review is of another file.
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'review.json'), JSON.stringify(report, null, 2) + '\n');
    await writeFile(join(out, 'review.html'), reviewHtml(report, { title: `${bundle.target} model`, dataset: file, target: bundle.target, createdAt: new Date().toISOString() }));
    const { verdict } = report;
    const key = bundle.task === 'regression' ? 'rmse' : 'accuracy';
    const value = (report.metrics as unknown as Record<string, number>)[key]!;
    const head = `${key} ${value.toFixed(4)} on ${rows.length} rows of ${file}; ${verdict.checks.length} check${verdict.checks.length === 1 ? '' : 's'}`;
    return { verdict, summary: verdict.passed ? `review passed: ${head}` : `review failed: ${head}, ${verdict.failures.length} failing` };
  } finally {
    network.dispose();
    champion?.network.dispose();
  }
}
