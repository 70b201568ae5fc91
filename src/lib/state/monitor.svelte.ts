// The Monitor view's state: which model is watched, its stored drift reports (timeline), the report shown, and a comparison running with progress.
import { dataClient } from '../workers-client/data-client.ts';
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ModelSummary } from '../contracts/store.ts';
import type { DriftProgress, DriftRecord, DriftSummary } from '../contracts/monitor.ts';
import type { ColumnDrift } from '../pipeline/drift/types.ts';

const phaseWords: Record<DriftProgress['phase'], string> = {
  reading: 'Reading the batch',
  reference: "Loading the model's reference",
  comparing: 'Comparing every column',
  predicting: 'Predicting the batch',
  saving: 'Saving the report',
  done: 'Done',
};

/** The model version a name is watched through: the champion, else the newest version. */
export function watchedVersion(models: readonly ModelSummary[], name: string): ModelSummary | null {
  const versions = models.filter((m) => m.name === name).sort((a, b) => b.version - a.version);
  return versions.find((m) => m.aliases.includes('champion')) ?? versions[0] ?? null;
}

/** How the column table can be ordered. */
export type ColumnSort = 'verdict' | 'name' | 'value' | 'missing';

/** Orders a report's columns: drifted first, then by how far over its bar each one is (the default), or by name, distance, or missing change. */
export function sortColumns(columns: readonly ColumnDrift[], by: ColumnSort): ColumnDrift[] {
  const over = (c: ColumnDrift) => (c.value === null ? Infinity : c.method === 'ks' || c.method === 'chi2' ? c.threshold - c.value : c.value - c.threshold);
  const list = [...columns];
  if (by === 'name') return list.sort((a, b) => a.column.localeCompare(b.column));
  if (by === 'value') return list.sort((a, b) => (b.value ?? Infinity) - (a.value ?? Infinity));
  if (by === 'missing') return list.sort((a, b) => Math.abs(b.missingCurrent - b.missingReference) - Math.abs(a.missingCurrent - a.missingReference));
  return list.sort((a, b) => Number(b.drifted) - Number(a.drifted) || over(b) - over(a));
}

export class MonitorState {
  #name = $state<string | null>(null);
  #reports = $state.raw<DriftSummary[]>([]);
  #shown = $state.raw<(DriftRecord & { id: number }) | null>(null);
  #progress = $state<DriftProgress | null>(null);
  #running = $state(false);
  #error = $state<string | null>(null);
  #alive = true;

  get name(): string | null {
    return this.#name;
  }
  /** The watched name's reports, oldest first. */
  get reports(): DriftSummary[] {
    return this.#reports;
  }
  get shown(): (DriftRecord & { id: number }) | null {
    return this.#shown;
  }
  get running(): boolean {
    return this.#running;
  }
  get error(): string | null {
    return this.#error;
  }
  get caption(): string {
    return this.#progress ? `${phaseWords[this.#progress.phase]}…` : 'Starting…';
  }
  get fraction(): number {
    return this.#progress?.fraction ?? 0;
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Watches model name `name`: loads its reports and shows the newest. */
  async watch(name: string | null): Promise<void> {
    if (name === this.#name) return;
    this.#name = name;
    this.#shown = null;
    await this.reload();
    const newest = this.#reports[this.#reports.length - 1];
    if (newest) await this.show(newest.id);
  }

  /** Reads the watched name's reports again (after a comparison, or the audit log grew). */
  async reload(): Promise<void> {
    const name = this.#name;
    if (name === null) {
      this.#reports = [];
      return;
    }
    try {
      const reports = await dataClient().driftReports(name);
      if (this.#alive && name === this.#name) this.#reports = reports;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  async show(id: number): Promise<void> {
    try {
      const record = await dataClient().driftReport(id);
      if (this.#alive) this.#shown = record;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    }
  }

  /** Compares a stored version (only the rows its append added unless `whole`) or a file with `model`, then shows the report. */
  async compare(model: ModelSummary, batch: { versionId: number; whole: boolean } | { file: File }): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#error = null;
    this.#progress = null;
    try {
      const request =
        'file' in batch
          ? { modelId: model.id, batch: { file: { name: batch.file.name, data: batch.file } } }
          : { modelId: model.id, batch: { versionId: batch.versionId, appendedOnly: !batch.whole } };
      const record = await mlClient().checkDrift(request, (p) => {
        if (this.#alive) this.#progress = p;
      });
      if (!this.#alive) return;
      this.#shown = record;
      await this.reload();
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      if (this.#alive) {
        this.#running = false;
        this.#progress = null;
      }
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
