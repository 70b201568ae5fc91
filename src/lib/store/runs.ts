// Training-run repository: a run is stored once, with its 'train' (and 'review-verdict') audit entries in the same transaction; deleted with its trials, report, reference and drift reports.
import { AppError } from '../pipeline/errors.ts';
import { runLabel } from '../pipeline/run-label.ts';
import { appendAudit } from './audit.ts';
import { openDb, type MillraceDb } from './db.ts';
import type { RunRecord } from './records.ts';
import type { ReviewRecord } from '../contracts/training.ts';
import type { ReferenceRecord } from '../contracts/monitor.ts';

/**
 * Stores a finished (or cancelled) run, its evaluation report when it has one, its 'train' audit entry and the
 * report's verdict as a 'review-verdict' entry (passed, the failing checks' messages) atomically, and its drift
 * reference when given. A run id is stored once.
 */
export async function saveRun(record: RunRecord, review?: ReviewRecord, reference?: ReferenceRecord): Promise<void> {
  const db = openDb();
  await db.transaction('rw', [db.runs, db.reviews, db.references, db.audit], async () => {
    await db.runs.add(record);
    if (review) await db.reviews.put(review);
    if (reference) await db.references.put(reference);
    await appendAudit('train', `run ${record.id}`, {
      runId: record.id,
      versionId: record.versionId,
      target: record.plan.target,
      task: record.plan.task,
      model: record.params.kind,
      seed: record.spec.split.seed,
      backend: record.backend,
      durationMs: record.durationMs,
    });
    // Every verdict is in the log, whether or not anyone decides on it later.
    if (review) {
      const { verdict } = review.report;
      await appendAudit('review-verdict', `run ${record.id}`, { runId: record.id, passed: verdict.passed, failures: [...verdict.failures] });
    }
  });
}

/** One run; throws 'not-found' naming the id when there is none. */
export async function getRun(id: string): Promise<RunRecord> {
  const run = await openDb().runs.get(id);
  if (!run) throw new AppError('not-found', `No training run "${id}"`);
  return run;
}

/** All runs, newest first. */
export async function listRuns(): Promise<RunRecord[]> {
  return openDb().runs.orderBy('createdAt').reverse().toArray();
}

/** A run's evaluation report; throws 'not-found' naming the run when it has none (older and cancelled runs). */
export async function getReview(runId: string): Promise<ReviewRecord> {
  const review = await openDb().reviews.get(runId);
  if (!review) throw new AppError('not-found', `Run "${runId}" has no evaluation report (runs trained before reports, or cancelled)`);
  return review;
}

/** The tables a run's deletion writes (the caller's transaction must hold them). */
export const RUN_TABLES = (db: MillraceDb) => [db.runs, db.models, db.reviews, db.references, db.driftReports, db.audit];

/**
 * Inside the caller's read-write transaction over RUN_TABLES: deletes a run and, for a search, its trials (ids
 * "<id>/trial-N"), with their evaluation reports, drift references and any drift report made against them, and
 * writes the 'delete' audit entry. Refused ('bad-argument', naming the models) while a model version was saved from
 * any of them. Returns the ids deleted (their checkpoints, in a database of their own, are the caller's to delete).
 */
export async function deleteRunIn(db: MillraceDb, runId: string): Promise<string[]> {
  const run = await db.runs.get(runId);
  if (!run) throw new AppError('not-found', `No training run "${runId}" to delete`);
  const label = runLabel(run);
  const trials = await db.runs.where('id').between(`${runId}/trial-`, `${runId}/trial-\uffff`).primaryKeys();
  const ids = [runId, ...trials];
  const models = await db.models.where('runId').anyOf(ids).toArray();
  if (models.length > 0) {
    const names = models.map((m) => `${m.name} v${m.version}`).join(', ');
    const those = models.length === 1 ? 'that model version' : 'those model versions';
    throw new AppError('bad-argument', `Cannot delete run ${label} (${run.plan.target}): it is saved as model ${names}. Delete ${those} first (Models).`);
  }
  const driftReports = await db.driftReports.where('runId').anyOf(ids).delete();
  await db.references.bulkDelete(ids);
  await db.reviews.bulkDelete(ids);
  await db.runs.bulkDelete(ids);
  await appendAudit('delete', `run ${label}`, {
    runId,
    label,
    trials: trials.length,
    versionId: run.versionId,
    target: run.plan.target,
    task: run.plan.task,
    model: run.params.kind,
    createdAt: run.createdAt,
    driftReports,
  });
  return ids;
}

/**
 * Deletes a run (with its trials, report, reference and drift reports) in one transaction with its 'delete' audit
 * entry; refused, naming them, while a model version was saved from it. Returns the ids deleted.
 */
export async function deleteRun(runId: string): Promise<string[]> {
  const db = openDb();
  return db.transaction('rw', RUN_TABLES(db), () => deleteRunIn(db, runId));
}
