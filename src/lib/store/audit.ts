// The hash-chained audit log: append (alone or inside a caller's transaction), list, page, verify, export.
import { ChainVerifier, chainEntry, type ChainOutcome } from '../pipeline/audit-chain.ts';
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

/** Entries read per page when the log is verified. */
const VERIFY_PAGE = 2000;

/**
 * Re-hashes the whole chain, a page of entries at a time, reporting entries checked of the total after each
 * page; names the first entry that was edited, removed or reordered.
 */
export async function verifyAudit(onProgress?: (checked: number, total: number) => void): Promise<ChainOutcome> {
  const db = openDb();
  const total = await db.audit.count();
  const verifier = new ChainVerifier();
  let checked = 0;
  let after = 0;
  for (;;) {
    const page = await db.audit.where('seq').above(after).limit(VERIFY_PAGE).toArray();
    for (const entry of page) if (verifier.push(entry)) return verifier.outcome();
    checked += page.length;
    onProgress?.(checked, Math.max(total, checked));
    if (page.length < VERIFY_PAGE) return verifier.outcome();
    after = page[page.length - 1]!.seq;
  }
}

/** Up to `limit` entries older than `before` (default: the newest), newest first, and the log's length. */
export async function auditPage(limit: number, before?: number): Promise<{ entries: AuditEntry[]; total: number }> {
  const db = openDb();
  return db.transaction('r', db.audit, async () => {
    const range = before === undefined ? db.audit.orderBy('seq') : db.audit.where('seq').below(before);
    return { entries: await range.reverse().limit(limit).toArray(), total: await db.audit.count() };
  });
}

/** The log as JSON lines (one entry per line, oldest first), for download. */
export async function exportAudit(): Promise<string> {
  const entries = await listAudit();
  return entries.map((entry) => JSON.stringify(entry)).join('\n') + (entries.length > 0 ? '\n' : '');
}
