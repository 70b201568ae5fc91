// The hash-chained audit log: append (alone or inside a caller's transaction), list, verify, export.
import { chainEntry, verifyChain } from '../pipeline/audit-chain.ts';
import type { AuditEntry } from '../pipeline/types.ts';
import { openDb } from './db.ts';

export type AuditAction = AuditEntry['action'];

/**
 * Appends the next entry of the chain and returns it. Reading the last entry and adding the next happen
 * in one read-write transaction on `audit`, so concurrent writers (two workers and the page) are
 * serialized by IndexedDB. Called inside a caller's 'rw' transaction that includes `audit`, it joins
 * that transaction and commits or fails with it. The hash is computed synchronously on purpose:
 * awaiting WebCrypto inside an IndexedDB transaction would commit it early.
 */
export async function appendAudit(
  action: AuditAction,
  subject: string,
  details: Record<string, unknown> = {},
): Promise<AuditEntry> {
  const db = openDb();
  return db.transaction('rw', db.audit, async () => {
    const last = await db.audit.orderBy('seq').last();
    const entry = chainEntry(last, { action, subject, details, at: new Date().toISOString() });
    await db.audit.add(entry);
    return entry;
  });
}

/** Every entry, oldest first. */
export async function listAudit(): Promise<AuditEntry[]> {
  return openDb().audit.orderBy('seq').toArray();
}

/** Re-hashes the whole chain; names the first entry that was edited, removed or reordered. */
export async function verifyAudit(): Promise<ReturnType<typeof verifyChain>> {
  return verifyChain(await listAudit());
}

/** The log as JSON lines (one entry per line, oldest first), for download. */
export async function exportAudit(): Promise<string> {
  const entries = await listAudit();
  return entries.map((entry) => JSON.stringify(entry)).join('\n') + (entries.length > 0 ? '\n' : '');
}
