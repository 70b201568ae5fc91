// The stored lists the whole studio reads (versions, runs, models, alias moves, the audit log's length) as summaries the data
// worker keeps up to date, the selected dataset version, and the profiles of the versions a view shows.
import { dataClient, type LiveSubscription } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { DatasetProfile } from '../pipeline/types.ts';
import type { AliasMoveSummary, AuditHead, LiveTopic, LiveTopics, ModelSummary, VersionSummary } from '../contracts/store.ts';
import type { RunSummary } from '../contracts/training.ts';
import { LazyCache } from './lazy-cache.svelte.ts';

/** A dataset version as the lists show it. */
export interface VersionRow {
  /** The version's summary (no profile: see `LibraryState.profile`). */
  record: VersionSummary;
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
/** Profiles kept for views that come back to a version (they never change). */
const PROFILES_KEPT = 16;

function readSelected(): number | null {
  const raw = globalThis.localStorage?.getItem(SELECTED_KEY);
  const id = raw ? Number(raw) : NaN;
  return Number.isInteger(id) ? id : null;
}

/** Live lists plus the selected dataset version. Created once by App; `destroy()` ends the watches. */
export class LibraryState {
  #versions = $state.raw<VersionSummary[]>([]);
  #runs = $state.raw<RunSummary[]>([]);
  #models = $state.raw<ModelSummary[]>([]);
  #aliasMoves = $state.raw<AliasMoveSummary[]>([]);
  #auditHead = $state.raw<AuditHead>({ count: 0, lastSeq: 0 });
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #chosenVersionId = $state<number | null>(readSelected());
  #profiles = new LazyCache<number, DatasetProfile>(
    (versionId) => dataClient().profile(versionId),
    PROFILES_KEPT,
    // A version deleted meanwhile is no storage failure.
    (versionId, error) => {
      if (this.#versions.some((v) => v.id === versionId)) this.#error = userMessage(error);
    },
  );
  #subscriptions: LiveSubscription[] = [];

  constructor() {
    this.#watch('versions', (v) => {
      this.#versions = v;
      this.#loaded = true;
    });
    this.#watch('runs', (v) => (this.#runs = v));
    this.#watch('models', (v) => (this.#models = v));
    this.#watch('aliasMoves', (v) => (this.#aliasMoves = v));
    this.#watch('audit', (v) => (this.#auditHead = v));
  }

  #watch<K extends LiveTopic>(topic: K, next: (value: LiveTopics[K]) => void): void {
    this.#subscriptions.push(dataClient().watch(topic, { next, error: (e) => (this.#error = userMessage(e)) }));
  }

  /** Every run (search trials too), newest first. */
  get runs(): RunSummary[] {
    return this.#runs;
  }
  /** Every model version, by name then version. */
  get models(): ModelSummary[] {
    return this.#models;
  }
  /** Every alias move of every model name, oldest first (the registry's history timelines). */
  get aliasMoves(): AliasMoveSummary[] {
    return this.#aliasMoves;
  }
  /** How many audit entries there are and the newest one's number (the Audit view pages through them). */
  get auditHead(): AuditHead {
    return this.#auditHead;
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
  versions = $derived.by((): VersionRow[] =>
    this.#versions
      .map((record) => ({ record, id: record.id, datasetName: record.datasetName, label: `${record.datasetName} v${record.version}` }))
      .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.id - a.id),
  );

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

  /**
   * The stored profile of a version: undefined until the data worker sent it (asking is started here, once per
   * version; profiles never change). Reading it in a view re-renders the view when it arrives.
   */
  profile(versionId: number): DatasetProfile | undefined {
    return this.#profiles.get(versionId);
  }

  destroy(): void {
    this.#profiles.destroy();
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
  }
}
