// Review decisions and champion comparisons: each stored on the run's evaluation report with its audit entry in one transaction.
import type { ReviewChampion, ReviewDecision, ReviewRecord } from '../contracts/training.ts';
import { AppError } from '../pipeline/errors.ts';
import { appendAudit } from './audit.ts';
import { openDb } from './db.ts';

const DECISIONS: readonly ReviewDecision['decision'][] = ['approve', 'reject'];

/**
 * Approves or rejects a run's evaluation report with a note (required: non-empty after trimming). The decision
 * replaces an earlier one on the record; the 'review-approve' / 'review-reject' audit entry (with the note, whether
 * the verdict passed and how many checks failed) is written in the same transaction, so the log keeps every one.
 */
export async function decideReview(runId: string, decision: ReviewDecision['decision'], note: string): Promise<ReviewRecord> {
  if (!DECISIONS.includes(decision)) throw new AppError('bad-argument', `A review decision is "approve" or "reject"; got "${String(decision)}"`);
  const text = typeof note === 'string' ? note.trim() : '';
  if (!text) throw new AppError('bad-argument', `A note is required to ${decision} run "${runId}": say why`);
  const db = openDb();
  return db.transaction('rw', [db.reviews, db.audit], async () => {
    const review = await db.reviews.get(runId);
    if (!review) throw new AppError('not-found', `Run "${runId}" has no evaluation report to ${decision}`);
    const updated: ReviewRecord = { ...review, decision: { decision, note: text, at: new Date().toISOString() } };
    await db.reviews.put(updated);
    const { verdict } = review.report;
    await appendAudit(decision === 'approve' ? 'review-approve' : 'review-reject', `run ${runId}`, {
      runId,
      note: text,
      passed: verdict.passed,
      failures: verdict.failures.length,
    });
    return updated;
  });
}

/**
 * Stores a run's report recomputed against a champion, with the champion named on the record and a
 * 'review-champion' audit entry, in one transaction. The run's report must still be there.
 */
export async function saveChampionReview(review: ReviewRecord, champion: ReviewChampion): Promise<ReviewRecord> {
  const db = openDb();
  return db.transaction('rw', [db.reviews, db.audit], async () => {
    if (!(await db.reviews.get(review.runId))) throw new AppError('not-found', `Run "${review.runId}" has no evaluation report to compare with ${champion.name} v${champion.version}`);
    const updated: ReviewRecord = { ...review, champion };
    await db.reviews.put(updated);
    const { verdict } = review.report;
    await appendAudit('review-champion', `run ${review.runId}`, {
      runId: review.runId,
      champion: `${champion.name} v${champion.version}`,
      modelId: champion.modelId,
      championRunId: champion.runId,
      passed: verdict.passed,
      failures: [...verdict.failures],
    });
    return updated;
  });
}
