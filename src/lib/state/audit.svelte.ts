// Verifying the hash-chained audit log and exporting it as a file.
import { exportAudit, verifyAudit } from '../store/audit.ts';
import { userMessage } from '../pipeline/errors.ts';
import { downloadBlob } from './download.svelte.ts';

export type VerifyOutcome = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

export class AuditState {
  #verifying = $state(false);
  #outcome = $state.raw<VerifyOutcome | null>(null);
  #error = $state<string | null>(null);
  #alive = true;

  get verifying(): boolean {
    return this.#verifying;
  }
  get outcome(): VerifyOutcome | null {
    return this.#outcome;
  }
  get error(): string | null {
    return this.#error;
  }

  async verify(): Promise<void> {
    if (this.#verifying) return;
    this.#verifying = true;
    this.#error = null;
    try {
      const outcome = (await verifyAudit()) as VerifyOutcome;
      if (this.#alive) this.#outcome = outcome;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      this.#verifying = false;
    }
  }

  async exportLog(): Promise<void> {
    this.#error = null;
    try {
      const text = await exportAudit();
      // exportAudit() gives JSON lines, oldest entry first.
      const stamp = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
      if (this.#alive) downloadBlob(new Blob([text], { type: 'application/x-ndjson' }), `millrace-audit-${stamp}.jsonl`);
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
