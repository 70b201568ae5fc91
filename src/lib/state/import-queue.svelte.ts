// The Collect stage's import queue: dropped, chosen, pasted and appended files are staged one at a time,
// reviewed when there is something to decide (notes, a guessed encoding, a schema change), then committed.
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ColumnType } from '../pipeline/types.ts';
import type { ImportOptions, ImportProgress, ImportResult, StagedImport } from '../contracts/data.ts';

export type ImportStatus =
  | 'waiting'
  | 'reading'
  | 'review'
  | 'storing'
  | 'stored'
  | 'duplicate'
  | 'discarded'
  | 'cancelled'
  | 'failed'
  | 'skipped';

/** One file in the queue as the status list shows it. */
export interface ImportItem {
  key: number;
  name: string;
  status: ImportStatus;
  /** What happened, in the user's words: "344 rows as penguins v1", the error, why it was skipped. */
  message: string;
}

interface Job {
  key: number;
  name: string;
  data: Blob;
  /** "Append a batch": the dataset the file becomes the next version of. */
  appendTo?: number;
  /** Always stop at the review panel (pasted text: the person should see what was read). */
  review: boolean;
}

type Decision = 'commit' | 'discard';

const phaseLabels: Record<ImportProgress['phase'], string> = {
  reading: 'Reading file',
  parsing: 'Parsing rows',
  storing: 'Profiling and saving to this device, then checking it',
  checking: 'Checking the rules and personal data',
  done: 'Done',
};

const REVIEW_KEY = 'millrace.reviewImports';

/** Imports files in turn; `onImported` lets the view select each new version. `destroy()` cancels what runs. */
export class ImportQueueState {
  #items = $state<ImportItem[]>([]);
  #staged = $state.raw<StagedImport | null>(null);
  #progress = $state.raw<ImportProgress | null>(null);
  #current = $state<{ key: number; importId: string; name: string } | null>(null);
  #restaging = $state(false);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #reviewAll = $state(globalThis.localStorage?.getItem(REVIEW_KEY) === 'true');
  #options: ImportOptions = {};
  #jobs: Job[] = [];
  #nextKey = 1;
  #decide: ((decision: Decision) => void) | null = null;
  // Plain: read only by the import loop, never by the UI.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #cancelled = new Set<string>();
  #running = false;
  #alive = true;
  #onImported: (result: ImportResult) => void;

  constructor(onImported: (result: ImportResult) => void) {
    this.#onImported = onImported;
  }

  /** Every file of this session, oldest first, with its status. */
  get items(): ImportItem[] {
    return this.#items;
  }
  /** The import waiting for the person's decision, if any. */
  get staged(): StagedImport | null {
    return this.#staged;
  }
  /** A file is being read, parsed or stored (not waiting for review). */
  get busy(): boolean {
    return this.#current !== null && this.#staged === null;
  }
  get fileName(): string | null {
    return this.#current?.name ?? null;
  }
  get fraction(): number {
    return this.#progress?.fraction ?? 0;
  }
  get phaseLabel(): string {
    return this.#progress ? phaseLabels[this.#progress.phase] : 'Starting';
  }
  /** The staged import is being read again with other options. */
  get restaging(): boolean {
    return this.#restaging;
  }
  /** The last failure, naming the file, row and column. */
  get error(): string | null {
    return this.#error;
  }
  /** The last outcome: imported, already imported, discarded. */
  get notice(): string | null {
    return this.#notice;
  }
  /** Stop every import at the review panel, not only those with something to decide. */
  get reviewAll(): boolean {
    return this.#reviewAll;
  }
  set reviewAll(value: boolean) {
    this.#reviewAll = value;
    globalThis.localStorage?.setItem(REVIEW_KEY, String(value));
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Queues files to import, each as a new dataset (or a batch of `appendTo`); folder leftovers are listed as skipped. */
  add(files: readonly File[], options: { appendTo?: number; review?: boolean; skipped?: readonly string[] } = {}): void {
    for (const path of options.skipped ?? []) {
      this.#items.push({ key: this.#nextKey++, name: path, status: 'skipped', message: 'Not a data file (CSV, TSV, JSON, NDJSON, Parquet, Arrow)' });
    }
    for (const file of files) this.addBlob(file, file.name, options);
  }

  addBlob(data: Blob, name: string, options: { appendTo?: number; review?: boolean } = {}): void {
    const key = this.#nextKey++;
    this.#items.push({ key, name, status: 'waiting', message: options.appendTo === undefined ? '' : 'Batch for an existing dataset' });
    this.#jobs.push({ key, name, data, appendTo: options.appendTo, review: options.review ?? false });
    void this.#drain();
  }

  /** Fetches the bundled Palmer Penguins file from this origin (cached by the service worker) and queues it. */
  async loadDemo(): Promise<void> {
    const name = 'penguins.json';
    try {
      const response = await fetch(`${import.meta.env.BASE_URL}demo/penguins.json`);
      if (!response.ok) throw new Error(`Could not load the demo dataset (HTTP ${response.status}).`);
      this.addBlob(await response.blob(), name);
    } catch (error) {
      this.#error = userMessage(error);
    }
  }

  /** Reads the staged file again with another encoding, delimiter, decimal separator or column types. */
  async restage(change: ImportOptions): Promise<void> {
    const current = this.#current;
    if (!current || !this.#staged || this.#restaging) return;
    const options: ImportOptions = {
      ...this.#options,
      ...change,
      types: { ...this.#options.types, ...change.types },
      dateFormats: { ...this.#options.dateFormats, ...change.dateFormats },
    };
    this.#restaging = true;
    this.#error = null;
    try {
      const staged = await dataClient().restage(current.importId, options);
      if (this.#current?.importId !== current.importId) return;
      this.#options = options;
      this.#staged = staged;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      this.#restaging = false;
    }
  }

  setType(column: string, type: ColumnType): Promise<void> {
    return this.restage({ types: { [column]: type } });
  }

  /** "Import" / "Accept schema change": store the staged import. */
  commit(): void {
    this.#decide?.('commit');
  }
  /** "Discard" / "Reject": nothing is stored. */
  discard(): void {
    this.#decide?.('discard');
  }

  /** Stops the file being imported and drops the ones still waiting. */
  cancel(): void {
    const current = this.#current;
    for (const job of this.#jobs.splice(0)) this.#update(job.key, 'cancelled', 'Cancelled before it started');
    if (!current) return;
    this.#cancelled.add(current.importId);
    if (this.#decide) this.discard();
    else void Promise.resolve(dataClient().cancelImport(current.importId)).catch(() => undefined);
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let job = this.#jobs.shift(); job && this.#alive; job = this.#jobs.shift()) await this.#run(job);
    } finally {
      this.#running = false;
    }
  }

  async #run(job: Job): Promise<void> {
    const importId = crypto.randomUUID();
    this.#current = { key: job.key, importId, name: job.name };
    this.#options = job.appendTo === undefined ? {} : { appendTo: job.appendTo };
    this.#progress = null;
    this.#error = null;
    this.#notice = null;
    this.#update(job.key, 'reading', '');
    const client = dataClient();
    let stagedOk = false;
    try {
      const staged = await client.stageImport({ name: job.name, data: job.data }, { ...this.#options, importId }, (p) => {
        if (this.#alive && this.#current?.importId === importId) this.#progress = p;
      });
      stagedOk = true;
      if (this.#cancelled.has(importId)) throw new Error('cancelled');
      if (staged.duplicateOf) {
        const { version, datasetName } = staged.duplicateOf;
        this.#notice = `Already imported as v${version} of ${datasetName} (${job.name}); nothing new was stored.`;
        this.#update(job.key, 'duplicate', `Already imported as v${version} of ${datasetName}`);
        await client.discardImport(importId);
        return;
      }
      if (this.#needsReview(staged, job)) {
        this.#staged = staged;
        this.#update(job.key, 'review', 'Waiting for your review');
        const decision = await new Promise<Decision>((resolve) => (this.#decide = resolve));
        this.#decide = null;
        this.#staged = null;
        if (decision === 'discard') {
          await client.discardImport(importId);
          if (this.#cancelled.has(importId)) {
            this.#update(job.key, 'cancelled', 'Cancelled; nothing stored');
            return;
          }
          this.#notice = `${job.name} was discarded; nothing was stored.`;
          this.#update(job.key, 'discarded', staged.changes.length ? 'Schema change rejected; nothing stored' : 'Discarded; nothing stored');
          return;
        }
      }
      this.#update(job.key, 'storing', '');
      this.#progress = { phase: 'storing', fraction: 0.9 };
      const result = await client.commitImport(importId);
      const label = `${staged.appendTo?.datasetName ?? job.name.replace(/\.[^.]+$/, '')} v${result.version}`;
      this.#notice = `Imported ${job.name}: ${result.rows.toLocaleString()} rows as ${label}.`;
      this.#update(job.key, 'stored', `${result.rows.toLocaleString()} rows · ${label}`);
      if (this.#alive) this.#onImported(result);
    } catch (error) {
      if (this.#cancelled.has(importId)) {
        this.#update(job.key, 'cancelled', 'Cancelled; nothing stored');
        this.#notice = `${job.name}: import cancelled; nothing was stored.`;
        if (stagedOk) void client.discardImport(importId).catch(() => undefined);
      } else {
        const message = userMessage(error);
        this.#update(job.key, 'failed', message);
        if (this.#alive) this.#error = message;
      }
    } finally {
      this.#cancelled.delete(importId);
      this.#decide = null;
      this.#staged = null;
      this.#current = null;
      this.#progress = null;
    }
  }

  /** Something to decide: a schema change, notes, an encoding, delimiter or decimal separator that was guessed, or the person asked to review. */
  #needsReview(staged: StagedImport, job: Job): boolean {
    if (staged.changes.length > 0) return true;
    if (job.appendTo !== undefined) return job.review;
    const guessedEncoding = staged.encoding !== undefined && staged.encoding !== 'utf-8';
    return job.review || this.#reviewAll || staged.notes.length > 0 || guessedEncoding || (staged.guessed?.length ?? 0) > 0;
  }

  #update(key: number, status: ImportStatus, message: string): void {
    const item = this.#items.find((i) => i.key === key);
    if (item) {
      item.status = status;
      item.message = message;
    }
  }

  /** Forgets finished entries of the status list. */
  clearFinished(): void {
    this.#items = this.#items.filter((i) => i.status === 'waiting' || i.status === 'reading' || i.status === 'review' || i.status === 'storing');
  }

  destroy(): void {
    this.#alive = false;
    this.cancel();
  }
}
