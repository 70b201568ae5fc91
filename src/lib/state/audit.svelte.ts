// The Audit view's state: the log read a page at a time (newest first), the chain verified in the data worker with
// progress, and the log exported as a file. The page never holds the whole log.
import { dataClient } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { AuditEntry } from '../pipeline/types.ts';
import type { AuditHead, AuditVerifyOutcome, AuditVerifyProgress } from '../contracts/store.ts';
import { downloadBlob } from './download.svelte.ts';

export type VerifyOutcome = AuditVerifyOutcome;

/** Entries read per page. */
export const AUDIT_PAGE = 100;

export class AuditState {
  #entries = $state.raw<AuditEntry[]>([]);
  #total = $state(0);
  #loading = $state(false);
  #verifying = $state(false);
  #progress = $state.raw<AuditVerifyProgress | null>(null);
  #outcome = $state.raw<VerifyOutcome | null>(null);
  #error = $state<string | null>(null);
  #head: AuditHead | null = null;
  /** Reading the newest entries again supersedes a page of older ones still on its way. */
  #pages = new Channel('audit pages');
  #alive = true;

  /** The entries read so far, newest first. */
  get entries(): AuditEntry[] {
    return this.#entries;
  }
  /** Entries in the whole log. */
  get total(): number {
    return this.#total;
  }
  /** More entries than those read are stored. */
  get hasMore(): boolean {
    return this.#entries.length < this.#total;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get verifying(): boolean {
    return this.#verifying;
  }
  /** Entries checked so far of the log, while verifying. */
  get progress(): AuditVerifyProgress | null {
    return this.#progress;
  }
  /** 0..100 for the progress bar. */
  get percent(): number {
    const p = this.#progress;
    return p && p.total > 0 ? Math.round((100 * p.checked) / p.total) : 0;
  }
  get outcome(): VerifyOutcome | null {
    return this.#outcome;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Follows the log's length: when it grew (or on first show), reads the newest entries again, as many as shown. */
  show(head: AuditHead): void {
    if (this.#head && this.#head.lastSeq === head.lastSeq && this.#head.count === head.count) return;
    this.#head = head;
    const limit = Math.min(1000, Math.max(AUDIT_PAGE, this.#entries.length));
    void this.#read(this.#pages.latest(() => dataClient().auditPage(limit)), (page) => page);
  }

  /** Reads the next page of older entries. */
  more(): void {
    const oldest = this.#entries.at(-1);
    if (!oldest || this.#loading) return;
    void this.#read(this.#pages.join(() => dataClient().auditPage(AUDIT_PAGE, oldest.seq)), (page) => [...this.#entries, ...page]);
  }

  async #read(request: Promise<{ entries: AuditEntry[]; total: number }>, merge: (page: AuditEntry[]) => AuditEntry[]): Promise<void> {
    this.#loading = true;
    try {
      const { entries, total } = await request;
      this.#entries = merge(entries);
      this.#total = total;
      this.#error = null;
      this.#loading = false;
    } catch (error) {
      if (isStale(error)) return;
      this.#loading = false;
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  /** Re-hashes the whole chain in the data worker; `progress` follows it. */
  async verify(): Promise<void> {
    if (this.#verifying) return;
    this.#verifying = true;
    this.#progress = null;
    this.#outcome = null;
    this.#error = null;
    try {
      const outcome = await dataClient().verifyAudit((p) => {
        if (this.#alive && this.#verifying) this.#progress = p;
      });
      if (this.#alive) this.#outcome = outcome;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      this.#verifying = false;
      this.#progress = null;
    }
  }

  /** Downloads the log as JSON lines, oldest entry first (written by the data worker). */
  async exportLog(): Promise<void> {
    this.#error = null;
    try {
      const blob = await dataClient().exportAudit();
      const stamp = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
      if (this.#alive) downloadBlob(blob, `millrace-audit-${stamp}.jsonl`);
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  destroy(): void {
    this.#alive = false;
    this.#pages.supersede();
  }
}
