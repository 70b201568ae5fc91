// Training-run repository: a run is stored once, with its 'train' (and 'review-verdict') audit entries in the same transaction.
import { AppError } from '../pipeline/errors.ts';
import { appendAudit } from './audit.ts';
import { openDb } from './db.ts';
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
