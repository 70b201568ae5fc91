// A retrain's ending in one transaction: the candidate registered, made the challenger (and the champion when the policy allows), the 'retrain' audit entry with its lineage, and when the schedule last ran.
import type { RetrainOutcome } from '../contracts/monitor.ts';
import { promote } from './aliases.ts';
import { appendAudit } from './audit.ts';
import { openDb } from './db.ts';
import { registerModel } from './models.ts';

/** The settings key holding when a model name's schedule last ran (ISO time). */
const scheduleKey = (name: string) => `monitor.last-scheduled.${name}`;

/** What the retrain found, before the registry is written. */
export interface RetrainEnding {
  outcome: Omit<RetrainOutcome, 'candidateVersion' | 'summary'>;
  reportId: number | null;
  /** The champion's decision threshold carried over to the candidate (binary models). */
  threshold?: number | undefined;
  /** Makes the summary once the candidate's version is known. */
  summary: (candidateVersion: number | null) => string;
}

/**
 * Writes a retrain's ending in one read-write transaction: for a candidate that passed its review, the next version of
 * the model name, the `challenger` alias on it and, when the decision is 'promoted', the `champion` alias (each move with
 * its history row and audit entry; the champion move expects the version the retrain started from, so a champion moved
 * meanwhile refuses it and nothing is written); then the 'retrain' audit entry, and the schedule's time when the
 * schedule fired it. A cancelled or rejected candidate writes only the audit entry (and the schedule's time).
 */
export async function settleRetrain(ending: RetrainEnding): Promise<RetrainOutcome> {
  const { outcome } = ending;
  const db = openDb();
  const tables = [db.models, db.runs, db.settings, db.reviews, db.aliases, db.aliasMoves, db.audit];
  return db.transaction('rw', tables, async () => {
    let candidateVersion: number | null = null;
    let modelId: number | null = null;
    const why = outcome.triggers.map((t) => t.reason).join('; ') || 'a retrain asked for';
    if (outcome.decision === 'challenger' || outcome.decision === 'promoted') {
      const saved = await registerModel(outcome.runId, outcome.modelName, { threshold: ending.threshold });
      candidateVersion = saved.version;
      modelId = saved.modelId;
      await promote(outcome.modelName, saved.version, 'challenger', `retrained: ${why}`);
      if (outcome.decision === 'promoted') {
        await promote(outcome.modelName, saved.version, 'champion', `retrained and promoted by the monitoring policy (autoPromote): ${why}`, {
          expectedFrom: outcome.fromVersion,
        });
      }
    }
    const summary = ending.summary(candidateVersion);
    await appendAudit('retrain', `${outcome.modelName} v${outcome.fromVersion}`, {
      modelName: outcome.modelName,
      fromVersion: outcome.fromVersion,
      triggers: outcome.triggers.map((t) => t.reason),
      reportId: ending.reportId,
      runId: outcome.runId,
      versionId: outcome.data.versionId,
      data: outcome.data.label,
      decision: outcome.decision,
      candidateVersion,
      modelId,
      passed: outcome.verdict?.passed ?? null,
      failures: outcome.verdict?.failures ?? [],
      summary,
    });
    if (outcome.triggers.some((t) => t.kind === 'schedule')) await db.settings.put({ key: scheduleKey(outcome.modelName), value: new Date().toISOString() });
    return { ...outcome, candidateVersion, summary };
  });
}

/** When a model name's schedule last ran, or null when it never did. */
export async function lastScheduledAt(name: string): Promise<string | null> {
  return (await openDb().settings.get(scheduleKey(name)))?.value ?? null;
}
