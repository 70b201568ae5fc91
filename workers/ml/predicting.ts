// The ML worker's predicting: the single-prediction form of a saved model, one case predicted and explained, and batch scoring of a file with progress, cancel, rejects and notices.
import type { Predictor } from '../../src/lib/ml/predictor.ts';
import { yieldTask } from '../../src/lib/pipeline/yield-task.ts';
import type { PredictFormInfo, RowPrediction, ScoreProgress } from '../../src/lib/contracts/predict.ts';
import type { ModelRecord } from '../../src/lib/contracts/store.ts';
import type { RunRecord } from '../../src/lib/contracts/training.ts';
import { modelFromArtifacts } from '../../src/lib/ml/artifacts.ts';
import { predictOne } from '../../src/lib/ml/predict-one.ts';
import { scoreFile } from '../../src/lib/ml/score-file.ts';
import { prepareHelper } from '../../src/lib/ml/score-helper.ts';
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { checkInputs, inputFields, oneRowTable } from '../../src/lib/pipeline/predict-form.ts';
import { stepColumns, stepName } from '../../src/lib/pipeline/recipe/columns.ts';
import { describeStep } from '../../src/lib/pipeline/recipe/describe.ts';
import type { RecipeStep } from '../../src/lib/pipeline/recipe/types.ts';
import { cleanForScoring } from '../../src/lib/pipeline/score-input.ts';
import { cellValue } from '../../src/lib/pipeline/table.ts';
import type { ColumnType } from '../../src/lib/pipeline/types.ts';
import { appendAudit } from '../../src/lib/store/audit.ts';
import { getVersion } from '../../src/lib/store/datasets.ts';
import { getModelWithRun } from '../../src/lib/store/models.ts';
import type { FileInput } from '../protocol.ts';
import { saltFor } from '../data/steps.ts';

/** The last model the form used: its network stays loaded while the person tries cases. */
let cached: { modelId: number; model: ModelRecord; run: RunRecord; network: Predictor } | null = null;

async function loadForm(modelId: number, ready: () => Promise<unknown>) {
  if (cached?.modelId === modelId) return cached;
  const { model, run } = await getModelWithRun(modelId);
  await ready();
  const network = await modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer());
  cached?.network.dispose();
  cached = { modelId, model, run, network };
  return cached;
}

/** The recipe and privacy steps a model's run went through. */
export function runSteps(run: RunRecord): RecipeStep[] {
  return run.preparation ? [...run.preparation.recipeSteps, ...run.preparation.privacySteps] : [];
}

/** Column types of the dataset version the model was trained on (for bundles fitted before they recorded them). */
async function versionTypes(run: RunRecord): Promise<Record<string, ColumnType>> {
  try {
    const version = await getVersion(run.versionId);
    return Object.fromEntries(version.schema.map((c) => [c.name, c.type]));
  } catch {
    return {};
  }
}

/** The form of a saved model: one field per input, prefilled with the training medians and modes. */
export async function predictForm(modelId: number, ready: () => Promise<unknown>): Promise<PredictFormInfo> {
  const { model, run } = await loadForm(modelId, ready);
  const bundle = run.bundle;
  return {
    modelId,
    name: model.name,
    version: model.version,
    target: bundle.target,
    task: bundle.task,
    classes: bundle.classes ?? [],
    fields: inputFields(bundle, bundle.inputs ? {} : await versionTypes(run)),
    ...(model.threshold !== undefined ? { threshold: model.threshold } : {}),
    ...(model.positiveClass !== undefined ? { positiveClass: model.positiveClass } : {}),
  };
}

/**
 * Predicts one case typed in the form (text by column): refused naming the column when a value cannot be read;
 * the run's recipe applies first (steps reading a column the form lacks are skipped and named in `notes`), and a
 * case the recipe drops is refused naming the step.
 */
export async function predictRow(modelId: number, values: Record<string, string>, ready: () => Promise<unknown>): Promise<RowPrediction> {
  const { model, run, network } = await loadForm(modelId, ready);
  const bundle = run.bundle;
  const fields = inputFields(bundle, bundle.inputs ? {} : await versionTypes(run));
  const flags = checkInputs(fields, values);
  const bad = flags.find((f) => f.blocking);
  if (bad) throw new AppError('bad-argument', `${bad.column}: ${bad.message}`, { column: bad.column });
  const started = performance.now();
  const raw = oneRowTable(fields, values);
  const names = new Set(fields.map((f) => f.column));
  const notes: string[] = [];
  const steps = runSteps(run).filter((step, index) => {
    const absent = stepColumns(step).filter((c) => !names.has(c));
    if (absent.length > 0 && step.kind !== 'drop-duplicates') notes.push(`${stepName(index, step)} was not applied: it reads ${absent.map((c) => `"${c}"`).join(', ')}, which the model does not`);
    return absent.length === 0 && step.kind !== 'drop-duplicates';
  });
  const cleaned = await cleanForScoring(raw, steps, { salt: await saltFor(steps) });
  if (cleaned.table.rowCount === 0) {
    const index = cleaned.rejects.step[0] ?? 0;
    throw new AppError('bad-argument', `The model's recipe drops this case: ${cleaned.rejects.reasons[index] ?? `${stepName(index, steps[index]!)}: ${describeStep(steps[index]!)}`}`);
  }
  const one = await predictOne(network, bundle, cleaned.table, { threshold: model.threshold, positive: model.positiveClass });
  const a = one.attribution;
  return {
    predicted: one.predicted,
    probabilities: one.probabilities,
    decision: one.decision,
    values: Object.fromEntries(cleaned.table.columns.map((c) => [c.name, cellValue(c, 0)])),
    flags: flags.filter((f) => f.kind !== 'missing'),
    notes,
    method: a.method,
    output: a.output,
    className: a.className,
    value: a.value,
    baselineValue: a.baselineValue,
    relativeGap: a.relativeGap,
    columns: a.columns,
    durationMs: performance.now() - started,
  };
}

/** Cancel flags of the scorings in progress, by job id. */
const cancelledJobs = new Map<string, boolean>();

/** Asks a scoring to stop at its next chunk; an unknown (finished) job is ignored. */
export function cancelScore(jobId: string): void {
  if (cancelledJobs.has(jobId)) cancelledJobs.set(jobId, true);
}


/**
 * Scores a file with a saved model (see scoreFile): the scored CSV, the rejects CSV when the recipe dropped
 * rows, and notices (ignored columns, rejects, the decision threshold); audited as 'score'.
 */
export async function scoreModelFile(
  modelId: number,
  file: FileInput,
  ready: () => Promise<unknown>,
  onProgress?: (p: ScoreProgress) => void,
  jobId?: string,
) {
  const id = jobId ?? crypto.randomUUID();
  cancelledJobs.set(id, false);
  let network: Predictor | undefined;
  // The helper Worker loads while the model and the file are read.
  void prepareHelper();
  try {
    const { model, run } = await getModelWithRun(modelId);
    onProgress?.({ phase: 'reading', rowsDone: 0, rows: 0, fraction: 0 });
    const bytes = new Uint8Array(file.data instanceof ArrayBuffer ? file.data : await file.data.arrayBuffer());
    await ready();
    network = await modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer());
    const steps = runSteps(run);
    let last = 0;
    const scored = await scoreFile(
      bytes,
      file.name,
      { network, bundle: run.bundle, steps, decision: { threshold: model.threshold, positive: model.positiveClass }, salt: await saltFor(steps) },
      {
        // At most about 20 reports a second cross to the page.
        onProgress: (p) => {
          const now = performance.now();
          if ((p.phase !== 'scoring' && p.phase !== 'parsing') || now - last > 50) {
            onProgress?.(p);
            last = now;
          }
        },
        shouldStop: () => cancelledJobs.get(id) === true,
        // Lets queued messages (a cancel) in between chunks.
        pause: yieldTask,
      },
    );
    const base = file.name.replace(/\.[^.]+$/, '') || 'data';
    const label = `${model.name}-v${model.version}`;
    await appendAudit('score', `${model.name} v${model.version}`, {
      modelId,
      file: file.name,
      rows: scored.rows,
      ...(steps.length > 0 ? { rowsIn: scored.rowsIn, recipeVersion: run.preparation?.recipeVersion } : {}),
      ...(scored.rejects ? { rejects: scored.rejects.rows } : {}),
      ...(scored.ignored.length ? { ignoredColumns: scored.ignored } : {}),
      ...(model.threshold !== undefined ? { threshold: model.threshold } : {}),
    });
    return {
      rows: scored.rows,
      rowsIn: scored.rowsIn,
      csv: new Blob(scored.csv as Uint8Array<ArrayBuffer>[], { type: 'text/csv' }),
      fileName: `${base}-scored-${label}.csv`,
      ...(scored.rejects
        ? { rejects: { rows: scored.rejects.rows, csv: new Blob(scored.rejects.csv as Uint8Array<ArrayBuffer>[], { type: 'text/csv' }), fileName: `${base}-rejects-${label}.csv` } }
        : {}),
      ignoredColumns: scored.ignored,
      notices: scored.notices,
    };
  } finally {
    network?.dispose();
    cancelledJobs.delete(id);
  }
}
