// The feature set being edited for a target, the saved versions to start from, and its preview on the training split.
import { featureSetFromPlan } from '../pipeline/features/fit.ts';
import type { FeaturePreview } from '../pipeline/features/preview.ts';
import type { FeatureDef, FeatureSet } from '../pipeline/features/types.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ColumnSchema, FeaturePlan, TaskKind } from '../pipeline/types.ts';
import type { FeatureSetRecord } from '../contracts/store.ts';
import { dataClient, type LiveSubscription } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { freshName } from './feature-edit.ts';

/** Lives with the App; `destroy()` ends the watch of the saved versions. */
export class FeatureSetsState {
  #saved = $state.raw<FeatureSetRecord[]>([]);
  #draft = $state.raw<FeatureSet | null>(null);
  /** The saved version the draft equals, or null for the automatic set or an edited one. */
  #source = $state.raw<{ name: string; version: number } | null>(null);
  #fromSpec = $state(false);
  /** A spec's feature set waiting for the plan of its target. */
  #pending: { target: string; set: FeatureSet } | null = null;
  #dirty = $state(false);
  #preview = $state.raw<FeaturePreview | null>(null);
  #previewing = $state(false);
  #error = $state<string | null>(null);
  #saving = $state(false);
  /** The preview of the draft; any change of the draft makes a preview on its way stale. */
  #previews = new Channel('feature preview');
  #subscription: LiveSubscription;

  /** The name "Save feature set" stores the next version under. */
  name = $state('');

  constructor() {
    this.#subscription = dataClient().watch('featureSets', {
      next: (records) => (this.#saved = records),
      error: (e) => (this.#error = userMessage(e)),
    });
  }

  get saved(): FeatureSetRecord[] {
    return this.#saved;
  }
  get draft(): FeatureSet | null {
    return this.#draft;
  }
  get source(): { name: string; version: number } | null {
    return this.#source;
  }
  get dirty(): boolean {
    return this.#dirty;
  }
  get preview(): FeaturePreview | null {
    return this.#preview;
  }
  get previewing(): boolean {
    return this.#previewing;
  }
  get error(): string | null {
    return this.#error;
  }
  get saving(): boolean {
    return this.#saving;
  }

  /** What a run should fit: null for the untouched automatic set, else the draft (marked when unsaved). */
  get active(): FeatureSet | null {
    const draft = this.#draft;
    if (!draft || (!this.#source && !this.#dirty)) return null;
    return this.#dirty ? { ...draft, name: `${this.name || draft.name} (unsaved)`, version: 0 } : draft;
  }

  /**
   * Uses a pipeline spec's feature set (Use pipeline…): now, and again when the plan for `target` arrives
   * (a new plan otherwise starts the editor over from the automatic set).
   */
  useSpecSet(set: FeatureSet, target: string): void {
    this.#pending = { target, set };
    this.#take(set);
  }

  /** True when the draft is a pipeline spec's feature set (not one saved here). */
  get fromSpec(): boolean {
    return this.#fromSpec;
  }

  #take(set: FeatureSet): void {
    this.#fromSpec = true;
    this.#previews.supersede();
    this.#previewing = false;
    this.#error = null;
    this.#preview = null;
    this.#draft = structuredClone(set);
    this.#source = { name: set.name, version: set.version };
    this.name = set.name;
    this.#dirty = false;
  }

  /** Starts over from the plan's automatic features (`source`: the version's columns and their types). */
  startFrom(plan: FeaturePlan, source: { columns: readonly ColumnSchema[] }): void {
    const pending = this.#pending;
    this.#pending = null;
    if (pending && pending.target === plan.target) {
      this.#take(pending.set);
      return;
    }
    this.#fromSpec = false;
    this.#previews.supersede();
    this.#previewing = false;
    this.#error = null;
    this.#preview = null;
    this.#source = null;
    this.#dirty = false;
    try {
      this.#draft = featureSetFromPlan(plan, source);
      this.name = `${plan.target} features`;
    } catch (error) {
      this.#draft = null;
      this.#error = userMessage(error);
    }
  }

  /** Continues from a saved version. */
  load(record: FeatureSetRecord): void {
    this.#fromSpec = false;
    this.#previews.supersede();
    this.#previewing = false;
    this.#draft = record.set;
    this.#source = { name: record.name, version: record.version };
    this.name = record.name;
    this.#dirty = false;
    this.#preview = null;
  }

  #edit(features: FeatureDef[]): void {
    if (!this.#draft) return;
    this.#previews.supersede();
    this.#previewing = false;
    this.#draft = { ...this.#draft, features };
    this.#dirty = true;
    this.#preview = null;
  }

  update(index: number, def: FeatureDef): void {
    this.#edit((this.#draft?.features ?? []).map((f, i) => (i === index ? def : f)));
  }

  add(column: string): void {
    const features = this.#draft?.features ?? [];
    this.#edit([...features, { name: freshName(column, features.map((f) => f.name)), column, transform: 'standardize' }]);
  }

  remove(index: number): void {
    this.#edit((this.#draft?.features ?? []).filter((_, i) => i !== index));
  }

  /** Stores the draft as the next version of `name` in the data worker; one save at a time. */
  async save(): Promise<void> {
    if (!this.#draft || this.#saving) return;
    this.#saving = true;
    this.#error = null;
    try {
      const record = await dataClient().saveFeatureSet(this.name, $state.snapshot(this.#draft) as FeatureSet);
      this.load(record);
    } catch (error) {
      this.#error = userMessage(error);
    } finally {
      this.#saving = false;
    }
  }

  /** Fits the draft on the seeded training split in the data worker and summarizes each feature. */
  async runPreview(versionId: number, target: string, task: TaskKind | undefined, seed: number): Promise<void> {
    const draft = this.#draft;
    if (!draft) return;
    this.#previewing = true;
    this.#error = null;
    try {
      const set = $state.snapshot(draft) as FeatureSet;
      this.#preview = await this.#previews.latest(() => dataClient().featurePreview(versionId, set, target, task, seed));
      this.#previewing = false;
    } catch (error) {
      if (isStale(error)) return;
      this.#error = userMessage(error);
      this.#previewing = false;
    }
  }

  destroy(): void {
    this.#previews.supersede();
    this.#subscription.unsubscribe();
  }
}
