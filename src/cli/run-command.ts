// `millrace run`: a pipeline spec (from --spec, or built from the flags) run on a file: Check stage, training, report.json, the model bundle and pipeline.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { chooseBackend } from '../lib/ml/backend-node.ts';
import { modelLabel } from '../lib/ml/export.ts';
import { computedOn, isTrees } from '../lib/ml/predictor.ts';
import { runPipeline } from '../lib/ml/run.ts';
import { makeReference } from '../lib/ml/monitor/reference.ts';
import { referenceJson } from '../lib/pipeline/monitor/reference-json.ts';
import { modelSizeBytes, modelToArtifacts } from '../lib/ml/artifacts.ts';
import { testPredictionsCsv } from '../lib/ml/review/predictions.ts';
import { reviewHtml } from '../lib/pipeline/review/html/report-html.ts';
import { reviewRun } from '../lib/ml/review/review-run.ts';
import { trainingTable } from '../lib/pipeline/check-stage.ts';
import { fitRecipe } from '../lib/pipeline/recipe/fit.ts';
import type { RecipeStep } from '../lib/pipeline/recipe/types.ts';
import type { DataTable } from '../lib/pipeline/types.ts';
import { AppError } from '../lib/pipeline/errors.ts';
import type { PipelineSpec } from '../lib/pipeline/spec/types.ts';
import { parseSpec, specJson } from '../lib/pipeline/spec/validate.ts';
import type { Command } from './args.ts';
import { checkCliChampion, cliChampionOutputs, loadChampion } from './champion.ts';
import { checkSummary, checkTable, saltOf } from './check-command.ts';
import { readJson, readTable } from './read-data.ts';
import { buildReport, summaryLine } from './report.ts';
import { FolderRegistry } from './registry/store.ts';
import { runBundleFiles, type RunBundleInput } from './run-bundle.ts';
import { draftFromFlags, specFromFlags } from './spec-from-flags.ts';

type RunCommand = Extract<Command, { name: 'run' }>;

/** The spec of --spec FILE, checked; errors name the file and the JSON path. */
async function specFile(path: string): Promise<PipelineSpec> {
  const json = await readJson('--spec', path);
  try {
    return parseSpec(json);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `--spec ${path}: ${error.message}`, { file: path }, { cause: error });
    throw error;
  }
}

const unfitted = (step: RecipeStep) => (step.kind === 'clip-outliers' && !step.bounds) || (step.kind === 'impute' && step.method !== 'constant' && !step.fitted);

/**
 * A spec's recipe with the statistics it does not state (clip bounds, imputed values) fitted on the data, as
 * --recipe fits them, so that pipeline.json and the bundle's recipe.json clean later batches and scored files
 * identically; stated values are kept (a spec exported from the studio states them all).
 */
function fitUnstated(table: DataTable, recipe: PipelineSpec['check']['recipe']): PipelineSpec['check']['recipe'] {
  if (!recipe || !recipe.steps.some(unfitted)) return recipe;
  const fitted = fitRecipe(table, recipe.steps);
  return { ...recipe, steps: recipe.steps.map((step, i) => (unfitted(step) ? (fitted[i] as RecipeStep) : step)) };
}

/**
 * Runs the pipeline on --data and writes OUT/pipeline.json (the spec as run), OUT/report.json and
 * OUT/model/. The Check stage's gate must be open (else AppError 'gate-blocked', exit status 2).
 */
export async function runCommand(command: RunCommand) {
  const backend = await chooseBackend(command.backend);
  const given = command.spec ? await specFile(command.spec) : undefined;
  // Bad flags are named before the data is read.
  const draft = given ? undefined : await draftFromFlags(command.pipeline);
  const { table: raw, sha256 } = await readTable(command.data, given?.input ?? {});
  const input = { ...(given?.input ?? { types: {}, dateFormats: {} }), dataset: given?.input.dataset ?? basename(command.data), version: given?.input.version ?? null, sha256 };
  const spec: PipelineSpec = given
    ? { ...given, input, check: { ...given.check, recipe: fitUnstated(raw, given.check.recipe) } }
    : await specFromFlags(draft!, command, raw, input);
  // A champion for another target is refused before anything trains.
  const champion = command.champion ? await loadChampion(command.champion) : undefined;
  if (champion) checkCliChampion(champion, spec.target, spec.task);
  const checked = await checkTable(spec.check, raw, command, spec.input);
  if (!checked.gate.open) {
    throw new AppError('gate-blocked', `Training on ${basename(command.data)} is blocked: ${checked.gate.reasons.join('; ')}`, { file: command.data });
  }
  const prepared = await trainingTable(raw, spec.check, saltOf(command), { table: checked.cleaned, sourceRows: checked.sourceRows });
  const run = await runPipeline(prepared.table, spec);
  // Trees are named with the rounds they kept (early stopping may keep fewer) and their most leaves.
  const label = modelLabel({ kind: run.modelKind, hidden: run.hidden, ...(isTrees(run.model) ? { rounds: run.model.gbdt.rounds, leaves: run.model.gbdt.params.maxLeafNodes } : {}) });
  const { modelJson, weights } = await modelToArtifacts(run.model);
  // The champion is scored on the same test rows of the same prepared table.
  const championOutputs = champion ? await cliChampionOutputs(champion, run.bundle, prepared.table, run.splitRows.test) : undefined;
  champion?.network.dispose();
  const { predictions, evaluation, importance } = await reviewRun(run.model, prepared.table, run.bundle, run.splitRows, spec, {
    sourceRows: prepared.sourceRows,
    bytes: modelSizeBytes(modelJson, weights.byteLength),
    championOutputs,
  });
  // The drift reference (reference.json): what `millrace drift --reference NAME@ALIAS` and `monitor` compare with.
  const reference = await makeReference('cli', run.model, prepared.table, run.bundle, run.splitRows, 'training');
  run.model.dispose();
  const preparation = {
    recipeVersion: spec.check.recipe?.version ?? 0,
    suiteVersion: spec.check.rules?.version ?? 0,
    recipeSteps: prepared.recipeSteps,
    privacySteps: prepared.privacySteps,
  };
  const report = buildReport({
    data: command.data,
    rows: prepared.table.rowCount,
    spec,
    // Trees never touch the TF.js backend chosen for networks: the report names their own engine.
    backend: { ...backend, backend: computedOn(run.modelKind, backend.backend) },
    run,
    evaluation,
    importance,
    check: { summary: checkSummary(checked), rowsIn: checked.check.rowsIn, rowsChecked: checked.check.rowsChecked, sha256Matches: given?.input.sha256 ? given.input.sha256 === sha256 : null },
  });
  const bundleInput: RunBundleInput = {
    modelJson,
    weights,
    card: {
      createdAt: new Date().toISOString(),
      datasetFile: basename(command.data),
      datasetSha256: sha256,
      rows: prepared.table.rowCount,
      bundle: run.bundle,
      plan: run.plan,
      evaluation: run.evaluation,
      backend: computedOn(run.modelKind, backend.backend),
      model: label,
      seed: spec.split.seed,
      review: evaluation,
    },
    preparation,
    spec,
    review: evaluation,
    reference: referenceJson(reference),
  };
  const modelDir = join(command.out, 'model');
  await mkdir(modelDir, { recursive: true });
  await Promise.all(Object.entries(runBundleFiles(bundleInput, spec.target, 1)).map(([name, bytes]) => writeFile(join(modelDir, name), bytes)));
  await writeFile(join(command.out, 'pipeline.json'), specJson(spec));
  await writeFile(join(command.out, 'test-predictions.csv'), testPredictionsCsv(predictions));
  await writeFile(join(command.out, 'evaluation.json'), JSON.stringify({ ...evaluation, importance }, null, 2) + '\n');
  const meta = { title: `${spec.target} · ${label}`, dataset: basename(command.data), target: spec.target, createdAt: new Date().toISOString() };
  await writeFile(join(command.out, 'evaluation.html'), reviewHtml({ ...evaluation, importance }, meta));
  await writeFile(join(command.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  // --register NAME: the same bundle, named NAME and numbered inside the registry's lock.
  const registered = command.register ? await new FolderRegistry(command.registry).addVersion(command.register, (version) => runBundleFiles(bundleInput, command.register!, version)) : null;
  const summary = summaryLine(report, command.out);
  return { report, summary: registered === null ? summary : `${summary}\nmillrace: registered ${command.register} v${registered} in ${command.registry}`, registered, bundleInput };
}
