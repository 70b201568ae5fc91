// The feature set being edited for a target, the saved versions to start from, and its preview on the training split.
import { featureSetFromPlan } from '../pipeline/features/fit.ts';
import type { FeaturePreview } from '../pipeline/features/preview.ts';
import type { FeatureDef, FeatureSet } from '../pipeline/features/types.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { DatasetProfile, FeaturePlan, TaskKind } from '../pipeline/types.ts';
import { saveFeatureSet } from '../store/feature-sets.ts';
import { liveFeatureSets } from '../store/live.ts';
import type { FeatureSetRecord } from '../store/records.ts';
import { dataClient } from '../workers-client/data-client.ts';
import { freshName } from './feature-edit.ts';

/** Lives with the Train view; `destroy()` ends the live query. */
export class FeatureSetsState {
  #saved = $state.raw<FeatureSetRecord[]>([]);
  #draft = $state.raw<FeatureSet | null>(null);
  /** The saved version the draft equals, or null for the automatic set or an edited one. */
  #source = $state.raw<{ name: string; version: number } | null>(null);
  #dirty = $state(false);
  #preview = $state.raw<FeaturePreview | null>(null);
  #previewing = $state(false);
  #error = $state<string | null>(null);
  #request = 0;
  #subscription: { unsubscribe(): void };

  /** The name "Save feature set" stores the next version under. */
  name = $state('');

  constructor() {
    this.#subscription = liveFeatureSets().subscribe({
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

  /** What a run should fit: null for the untouched automatic set, else the draft (marked when unsaved). */
  get active(): FeatureSet | null {
    const draft = this.#draft;
    if (!draft || (!this.#source && !this.#dirty)) return null;
    return this.#dirty ? { ...draft, name: `${this.name || draft.name} (unsaved)`, version: 0 } : draft;
  }

  /** Starts over from the plan's automatic features. */
  startFrom(plan: FeaturePlan, profile: DatasetProfile): void {
    this.#request++;
    this.#error = null;
    this.#preview = null;
    this.#source = null;
    this.#dirty = false;
    try {
      this.#draft = featureSetFromPlan(plan, profile);
      this.name = `${plan.target} features`;
    } catch (error) {
      this.#draft = null;
      this.#error = userMessage(error);
    }
  }

  /** Continues from a saved version. */
  load(record: FeatureSetRecord): void {
    this.#draft = record.set;
    this.#source = { name: record.name, version: record.version };
    this.name = record.name;
    this.#dirty = false;
    this.#preview = null;
  }

  #edit(features: FeatureDef[]): void {
    if (!this.#draft) return;
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

  /** Stores the draft as the next version of `name`. */
  async save(): Promise<void> {
    if (!this.#draft) return;
    this.#error = null;
    try {
      const record = await saveFeatureSet(this.name, $state.snapshot(this.#draft) as FeatureSet);
      this.load(record);
    } catch (error) {
      this.#error = userMessage(error);
    }
  }

  /** Fits the draft on the seeded training split in the data worker and summarizes each feature. */
  async runPreview(versionId: number, target: string, task: TaskKind | undefined, seed: number): Promise<void> {
    const draft = this.#draft;
    if (!draft) return;
    const request = ++this.#request;
    this.#previewing = true;
    this.#error = null;
    try {
      const preview = await dataClient().featurePreview(versionId, $state.snapshot(draft) as FeatureSet, target, task, seed);
      if (request === this.#request) this.#preview = preview;
    } catch (error) {
      if (request === this.#request) this.#error = userMessage(error);
    } finally {
      if (request === this.#request) this.#previewing = false;
    }
  }

  destroy(): void {
    this.#request++;
    this.#subscription.unsubscribe();
  }
}
