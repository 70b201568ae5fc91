// An audit entry as the Audit view shows it: runs named by their label rather than their id, details as "key: value" text.
import type { AuditEntry } from '../pipeline/types.ts';

/**
 * The entry's subject with a run's id replaced by its label ("run 3f2a9c…" → "run mlp · 3f2a → species"): the label of
 * a stored run from `labelOf`, else the one the entry recorded (a deleted run's), else the id's first 8 characters.
 */
export function auditSubject(entry: Pick<AuditEntry, 'subject' | 'details'>, labelOf: (runId: string) => string | undefined): string {
  const runId = entry.details.runId;
  if (typeof runId !== 'string' || !entry.subject.includes(runId)) return entry.subject;
  const recorded = typeof entry.details.label === 'string' ? entry.details.label : undefined;
  return entry.subject.replace(runId, labelOf(runId) ?? recorded ?? runId.slice(0, 8));
}

/** The details as "key: value · key: value", strings as they are and anything else as JSON. */
export function auditDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, v]) => `${key}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}
