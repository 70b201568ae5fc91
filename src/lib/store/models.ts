// Model registry repository: numbered versions per model name, each pointing at the run it came from.
import { AppError } from '../pipeline/errors.ts';
import { appendAudit } from './audit.ts';
import { keyRangeOf, openDb } from './db.ts';
import type { ModelRecord, RunRecord } from './records.ts';

/**
 * Registers a stored run as the next version of the named model (1 for a new name), in one transaction
 * with its 'save-model' audit entry.
 */
export async function registerModel(runId: string, name: string): Promise<{ modelId: number; version: number }> {
  const modelName = name.trim();
  if (!modelName) throw new AppError('bad-argument', `A model needs a name; got "${name}"`);
  const db = openDb();
  return db.transaction('rw', [db.models, db.runs, db.audit], async () => {
    const run = await db.runs.get(runId);
    if (!run) throw new AppError('not-found', `No training run "${runId}" to save as model "${modelName}"`);
    const latest = await db.models
      .where('[name+version]')
      .between(...keyRangeOf(modelName))
      .last();
    const version = (latest?.version ?? 0) + 1;
    const modelId = await db.models.add({
      name: modelName,
      version,
      runId,
      versionId: run.versionId,
      target: run.plan.target,
      task: run.plan.task,
      createdAt: new Date().toISOString(),
    });
    await appendAudit('save-model', `${modelName} v${version}`, { modelId, runId, version, versionId: run.versionId });
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
