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

export type ChainOutcome = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/**
 * Checks a chain entry by entry, in order, so a long log can be read and checked in pages. `push` returns the
 * failure at the first bad entry (and every later push returns the same); `outcome()` is the result so far.
 */
export class ChainVerifier {
  #prev: AuditEntry | undefined;
  #count = 0;
  #failure: Extract<ChainOutcome, { ok: false }> | undefined;

  push(entry: AuditEntry): Extract<ChainOutcome, { ok: false }> | undefined {
    if (this.#failure) return this.#failure;
    const prev = this.#prev;
    const position = this.#count + 1;
    const fail = (reason: string) => (this.#failure = { ok: false, brokenAt: position, reason });
    if (hashOf(entry) !== entry.hash) {
      return fail(`Entry ${entry.seq} was changed after it was written: its hash does not match its content`);
    }
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (entry.seq !== expectedSeq) {
      return fail(`Entry ${entry.seq} comes where entry ${expectedSeq} should be: an entry was removed or moved`);
    }
    if (entry.prevHash !== (prev ? prev.hash : GENESIS_HASH)) {
      return fail(`Entry ${entry.seq} does not link to the entry before it: the chain was rewritten from here`);
    }
    this.#prev = entry;
    this.#count = position;
    return undefined;
  }

  outcome(): ChainOutcome {
    return this.#failure ?? { ok: true, count: this.#count };
  }
}

/**
 * Checks a whole chain in order. On failure, `brokenAt` is the 1-based position of the first bad entry and
 * `reason` says what is wrong with it (edited, removed or reordered entries).
 */
export function verifyChain(entries: AuditEntry[]): ChainOutcome {
  const verifier = new ChainVerifier();
  for (const entry of entries) if (verifier.push(entry)) break;
  return verifier.outcome();
}
