// Model registry repository: numbered versions per model name, each pointing at the run it came from (with a binary model's decision threshold); deleting a version.
import { AppError } from '../pipeline/errors.ts';
import { checkDeletable } from '../pipeline/registry/aliases.ts';
import { checkThreshold } from '../pipeline/review/threshold.ts';
import { highestVersionKey } from './aliases.ts';
import { appendAudit } from './audit.ts';
import { keyRangeOf, openDb } from './db.ts';
import type { ModelRecord, RunRecord } from './records.ts';
import { deleteRunIn, RUN_TABLES } from './runs.ts';

/** How a model is saved: a binary model's decision threshold on its positive class's probability (default 0.5). */
export interface SaveModelOptions {
  threshold?: number | undefined;
}

/** The decision a binary run's model is saved with: the threshold and the positive class (the spec's, else the last class). */
function decisionOf(run: RunRecord, threshold: number | undefined, modelName: string): Pick<ModelRecord, 'threshold' | 'positiveClass'> {
  if (threshold === undefined) return {};
  if (run.plan.task !== 'binary') {
    throw new AppError('bad-argument', `A decision threshold (${String(threshold)}) applies to binary models only; run "${run.id}" (model "${modelName}") is ${run.plan.task}`);
  }
  checkThreshold(threshold);
  const classes = run.bundle.classes ?? [];
  const positiveClass = run.spec.review?.positiveClass ?? classes[classes.length - 1];
  if (positiveClass === undefined || !classes.includes(positiveClass)) {
    throw new AppError('bad-argument', `Run "${run.id}" has no positive class "${String(positiveClass)}" among its classes ${classes.map((c) => `"${c}"`).join(', ')}`);
  }
  return { threshold, positiveClass };
}

/**
 * Registers a stored run as the next version of the named model (1 for a new name), in one transaction
 * with its 'save-model' audit entry. A binary run may be saved with a decision threshold in [0, 1], which
 * scoring and the exported bundle use; it is refused, naming it, for other tasks or outside [0, 1].
 */
export async function registerModel(runId: string, name: string, options: SaveModelOptions = {}): Promise<{ modelId: number; version: number }> {
  const modelName = name.trim();
  if (!modelName) throw new AppError('bad-argument', `A model needs a name; got "${name}"`);
  const db = openDb();
  return db.transaction('rw', [db.models, db.runs, db.settings, db.audit], async () => {
    const run = await db.runs.get(runId);
    if (!run) throw new AppError('not-found', `No training run "${runId}" to save as model "${modelName}"`);
    const decision = decisionOf(run, options.threshold, modelName);
    const latest = await db.models
      .where('[name+version]')
      .between(...keyRangeOf(modelName))
      .last();
    // A deleted version's number is not given again: the alias history and the audit log still name it.
    const deleted = Number((await db.settings.get(highestVersionKey(modelName)))?.value ?? 0);
    const version = Math.max(latest?.version ?? 0, deleted) + 1;
    const modelId = await db.models.add({
      name: modelName,
      version,
      runId,
      versionId: run.versionId,
      target: run.plan.target,
      task: run.plan.task,
      createdAt: new Date().toISOString(),
      ...decision,
    });
    await appendAudit('save-model', `${modelName} v${version}`, { modelId, runId, version, versionId: run.versionId, ...decision });
    return { modelId, version };
  });
}

/** All model versions, by name then version. */
export async function listModels(): Promise<ModelRecord[]> {
  return openDb().models.orderBy('[name+version]').toArray();
}

/** One model version; throws 'not-found' naming the id when there is none. */
export async function getModel(id: number): Promise<ModelRecord> {
  const model = await openDb().models.get(id);
  if (!model) throw new AppError('not-found', `No saved model ${id}`);
  return model;
}

/** A model version with the run it came from (its weights, bundle and metrics), read together. */
export async function getModelWithRun(id: number): Promise<{ model: ModelRecord; run: RunRecord }> {
  const db = openDb();
  return db.transaction('r', [db.models, db.runs], async () => {
    const model = await getModel(id);
    const run = await db.runs.get(model.runId);
    if (!run) throw new AppError('not-found', `Model ${id} points at training run "${model.runId}", which is missing`);
    return { model, run };
  });
}

/**
 * The champion of the named model with its run: the version its `champion` alias points at, else the newest saved
 * version; 'not-found' naming the model when there is none.
 */
export async function latestModelNamed(name: string): Promise<{ model: ModelRecord & { id: number }; run: RunRecord }> {
  const modelName = name.trim();
  const db = openDb();
  return db.transaction('r', [db.models, db.runs, db.aliases], async () => {
    const held = modelName ? await db.aliases.get([modelName, 'champion']) : undefined;
    const model = !modelName
      ? undefined
      : held
        ? await db.models.where('[name+version]').equals([modelName, held.version]).first()
        : await db.models.where('[name+version]').between(...keyRangeOf(modelName)).last();
    if (!model?.id) throw new AppError('not-found', `No saved model named "${name}" to compare with`);
    const run = await db.runs.get(model.runId);
    if (!run) throw new AppError('not-found', `Model "${modelName}" v${model.version} points at training run "${model.runId}", which is missing`);
    return { model: { ...model, id: model.id }, run };
  });
}

/** What deleting a model version removed besides it. */
export interface ModelDeletion {
  /** Drift reports made against the version. */
  driftReports: number;
  /** Runs deleted with it (its run and a search's trials, when asked and no other version uses the run); empty otherwise. */
  runIds: string[];
}

/**
 * Deletes version `version` of model `name` with its drift reports and a 'delete' audit entry, in one transaction;
 * with `withRun`, its training run goes too (see deleteRunIn: its trials, report, reference; audited) unless another
 * model version was saved from the same run (then the run stays). Refused (checkDeletable, naming the alias) while an
 * alias points at it; nothing is written then. Its number is never given to a later version.
 */
export async function deleteModelVersion(name: string, version: number, options: { withRun?: boolean } = {}): Promise<ModelDeletion> {
  const modelName = typeof name === 'string' ? name.trim() : '';
  if (!modelName) throw new AppError('bad-argument', `A model name is needed; got ${JSON.stringify(name)}`);
  if (!Number.isInteger(version) || version < 1) throw new AppError('bad-argument', `A version of ${modelName} is a whole number from 1; got ${String(version)}`);
  const db = openDb();
  return db.transaction('rw', [...RUN_TABLES(db), db.aliases, db.settings], async () => {
    const model = await db.models.where('[name+version]').equals([modelName, version]).first();
    if (!model?.id) throw new AppError('not-found', `Model "${modelName}" has no version v${version}`);
    const rows = await db.aliases.where('name').equals(modelName).toArray();
    checkDeletable(modelName, version, Object.fromEntries(rows.map((row) => [row.alias, row.version])));
    const key = highestVersionKey(modelName);
    const highest = Number((await db.settings.get(key))?.value ?? 0);
    if (version > highest) await db.settings.put({ key, value: String(version) });
    const driftReports = await db.driftReports.where('modelId').equals(model.id).delete();
    await db.models.delete(model.id);
    const shared = (await db.models.where('runId').equals(model.runId).count()) > 0;
    const withRun = options.withRun === true && !shared && (await db.runs.get(model.runId)) !== undefined;
    await appendAudit('delete', `${modelName} v${version}`, { name: modelName, version, modelId: model.id, runId: model.runId, driftReports, runDeleted: withRun });
    const runIds = withRun ? await deleteRunIn(db, model.runId) : [];
    return { driftReports, runIds };
  });
}
