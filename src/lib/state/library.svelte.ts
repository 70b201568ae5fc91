// The stored lists the whole studio reads (datasets, versions, runs, models, audit), kept live from IndexedDB.
import { liveAudit, liveDatasets, liveModels, liveRuns, liveVersions } from '../store/live.ts';
import type { AuditRecord, DatasetRecord, ModelRecord, RunRecord, VersionRecord } from '../store/records.ts';
import { userMessage } from '../pipeline/errors.ts';

/** The part of a Dexie liveQuery observable used here. */
interface Live<T> {
  subscribe(observer: { next: (value: T) => void; error: (error: unknown) => void }): { unsubscribe(): void };
}

/** A dataset version joined with its dataset's name, as the lists show it. */
export interface VersionRow {
  record: VersionRecord;
  id: number;
  datasetName: string;
  /** "penguins v2" */
  label: string;
}

/** A dataset and its version timeline. */
export interface DatasetGroup {
  datasetId: number;
  name: string;
  versions: VersionRow[];
}

const SELECTED_KEY = 'millrace.selectedVersion';

function readSelected(): number | null {
  const raw = globalThis.localStorage?.getItem(SELECTED_KEY);
  const id = raw ? Number(raw) : NaN;
  return Number.isInteger(id) ? id : null;
}

/** Live lists plus the selected dataset version. Created once by App; `destroy()` unsubscribes. */
export class LibraryState {
  #datasets = $state.raw<DatasetRecord[]>([]);
  #versions = $state.raw<VersionRecord[]>([]);
  #runs = $state.raw<RunRecord[]>([]);
  #models = $state.raw<ModelRecord[]>([]);
  #audit = $state.raw<AuditRecord[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #chosenVersionId = $state<number | null>(readSelected());
  #subscriptions: { unsubscribe(): void }[] = [];

  constructor() {
    this.#watch(liveDatasets() as Live<DatasetRecord[]>, (v) => (this.#datasets = v));
    this.#watch(liveVersions() as Live<VersionRecord[]>, (v) => {
      this.#versions = v;
      this.#loaded = true;
    });
    this.#watch(liveRuns() as Live<RunRecord[]>, (v) => (this.#runs = v));
    this.#watch(liveModels() as Live<ModelRecord[]>, (v) => (this.#models = v));
    this.#watch(liveAudit() as Live<AuditRecord[]>, (v) => (this.#audit = v));
  }

  #watch<T>(source: Live<T>, next: (value: T) => void): void {
    this.#subscriptions.push(source.subscribe({ next, error: (e) => (this.#error = userMessage(e)) }));
  }

  get datasets(): DatasetRecord[] {
    return this.#datasets;
  }
  get runs(): RunRecord[] {
    return this.#runs;
  }
  get models(): ModelRecord[] {
    return this.#models;
  }
  get audit(): AuditRecord[] {
    return this.#audit;
  }
  /** True once IndexedDB answered for the first time (avoids flashing the empty state). */
  get loaded(): boolean {
    return this.#loaded;
  }
  /** A failure reading IndexedDB, in the user's words. */
  get error(): string | null {
    return this.#error;
  }

  /** All versions, newest first, with their dataset's name. */
  versions = $derived.by((): VersionRow[] => {
    const names = Object.fromEntries(this.#datasets.map((d) => [d.id ?? -1, d.name]));
    return this.#versions
      .filter((v): v is VersionRecord & { id: number } => v.id !== undefined)
      .map((record) => {
        const datasetName = names[record.datasetId] ?? record.fileName;
        return { record, id: record.id, datasetName, label: `${datasetName} v${record.version}` };
      })
      .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.id - a.id);
  });

  /** Datasets with their versions (newest first), the dataset with the latest import first. */
  datasetGroups = $derived.by((): DatasetGroup[] => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- local to this derivation
    const groups = new Map<number, DatasetGroup>();
    for (const row of this.versions) {
      const id = row.record.datasetId;
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { datasetId: id, name: row.datasetName, versions: [] }));
      group.versions.push(row);
    }
    for (const group of groups.values()) group.versions.sort((a, b) => b.record.version - a.record.version);
    return [...groups.values()];
  });

  /** The version the Data and Train views work on: the chosen one, else the newest. */
  selected = $derived.by((): VersionRow | null => {
    const chosen = this.versions.find((v) => v.id === this.#chosenVersionId);
    return chosen ?? this.versions[0] ?? null;
  });

  select(versionId: number): void {
    this.#chosenVersionId = versionId;
    globalThis.localStorage?.setItem(SELECTED_KEY, String(versionId));
  }

  versionById(id: number): VersionRow | undefined {
    return this.versions.find((v) => v.id === id);
  }

  destroy(): void {
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
  }
}
