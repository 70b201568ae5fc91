// The hash chain behind the append-only audit log: canonical JSON, chaining an entry, verifying a chain.
import { sha256Hex } from './sha256.ts';
import type { AuditEntry } from './types.ts';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, action, subject, details, prevHash } = entry;
  return sha256Hex(canonicalJson({ seq, at, action, subject, details, prevHash }));
}

/** Makes the entry that follows `prev` (or the first entry), hashed over everything but its own hash. */
export function chainEntry(
  prev: AuditEntry | undefined,
  input: Pick<AuditEntry, 'action' | 'subject' | 'details' | 'at'>,
): AuditEntry {
  const entry = {
    seq: prev ? prev.seq + 1 : 1,
    at: input.at,
    action: input.action,
    subject: input.subject,
    details: input.details,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...entry, hash: hashOf(entry) };
}

/**
 * Checks a whole chain in order. On failure, `brokenAt` is the 1-based position of the first bad entry and
 * `reason` says what is wrong with it (edited, removed or reordered entries).
 */
export function verifyChain(
  entries: AuditEntry[],
): { ok: true; count: number } | { ok: false; brokenAt: number; reason: string } {
  let prev: AuditEntry | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as AuditEntry;
    const position = i + 1;
    if (hashOf(entry) !== entry.hash) {
      return { ok: false, brokenAt: position, reason: `Entry ${entry.seq} was changed after it was written: its hash does not match its content` };
    }
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (entry.seq !== expectedSeq) {
      return {
        ok: false,
        brokenAt: position,
        reason: `Entry ${entry.seq} comes where entry ${expectedSeq} should be: an entry was removed or moved`,
      };
    }
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (entry.prevHash !== expectedPrev) {
      return {
        ok: false,
        brokenAt: position,
        reason: `Entry ${entry.seq} does not link to the entry before it: the chain was rewritten from here`,
      };
    }
    prev = entry;
  }
  return { ok: true, count: entries.length };
}
