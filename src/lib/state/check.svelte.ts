// The Check stage: the gate and report of the selected version, the rule suite and cleaning recipe being edited,
// and privacy decisions. Lives with the App, so unsaved edits survive visits to other stages.
import { dataClient } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { CheckReport, GateStatus } from '../pipeline/quality/check.ts';
import type { Rule, RuleSuite } from '../pipeline/quality/types.ts';
import type { Recipe, RecipePreview, RecipeStep } from '../pipeline/recipe/types.ts';
import type { PrivacyDecision } from '../pipeline/privacy/types.ts';

/** How a draft reads and stores its dataset's saved list (a rule suite or a recipe). */
interface DraftStore<Item, Saved> {
  load(datasetId: number): Promise<Saved | undefined>;
  itemsOf(saved: Saved): Item[];
}

/**
 * A list of a dataset being edited (rules or recipe steps): loaded from its saved version, changed, saved as the
 * next version. Work runs one request at a time: a new request supersedes the one in flight (its answer is dropped
 * by the channel), except a save, which refuses other work until it is stored; loading another dataset supersedes
 * everything.
 */
class ListDraft<Item, Saved, Busy extends string> {
  #datasetId = $state<number | null>(null);
  #items = $state.raw<Item[]>([]);
  #saved = $state.raw<Saved | null>(null);
  #dirty = $state(false);
  #busy = $state<Busy | 'loading' | 'saving' | null>(null);
  #error = $state<string | null>(null);
  #requests = new Channel('draft');

  constructor(private readonly store: DraftStore<Item, Saved>) {}

  get datasetId(): number | null {
    return this.#datasetId;
  }
  get items(): Item[] {
    return this.#items;
  }
  get saved(): Saved | null {
    return this.#saved;
  }
  get dirty(): boolean {
    return this.#dirty;
  }
  get busy(): Busy | 'loading' | 'saving' | null {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Shows the dataset's saved list (kept as is when it is already the dataset being edited). */
  async load(datasetId: number): Promise<void> {
    if (this.#datasetId === datasetId) return;
    this.#datasetId = datasetId;
    this.#saved = null;
    this.#items = [];
    this.#dirty = false;
    this.edited();
    await this.#start('loading', () => this.store.load(datasetId), (saved) => this.#keep(saved ?? null));
  }

  /** Called after every change of the list (a subclass drops what depended on it). */
  protected edited(): void {}

  protected setItems(items: Item[]): void {
    this.#items = items;
    this.#dirty = true;
    this.edited();
  }

  #keep(saved: Saved | null): void {
    this.#saved = saved;
    this.#items = saved ? this.store.itemsOf(saved) : [];
    this.#dirty = false;
    this.kept(saved);
  }

  /** Called when a saved version is shown (loaded or just saved). */
  protected kept(_saved: Saved | null): void {}

  /** Marks the draft changed without touching the list (a setting beside it changed). */
  protected touched(): void {
    this.#dirty = true;
  }

  /** Runs one request: `busy` while it runs, its error shown, its answer applied unless superseded. False while a save runs. */
  protected async run<T>(busy: Busy | 'loading' | 'saving', work: () => Promise<T>, apply: (value: T) => void): Promise<boolean> {
    if (this.#busy === 'saving') return false;
    return this.#start(busy, work, apply);
  }

  async #start<T>(busy: Busy | 'loading' | 'saving', work: () => Promise<T>, apply: (value: T) => void): Promise<boolean> {
    this.#busy = busy;
    this.#error = null;
    try {
      const value = await this.#requests.latest(work);
      this.#busy = null;
      apply(value);
      return true;
    } catch (error) {
      if (isStale(error)) return false;
      this.#busy = null;
      this.#error = userMessage(error);
      return false;
    }
  }

  /**
   * Stores the list through `write` as the next saved version; a rejected save keeps the draft and shows why.
   * Changes made while it was being stored stay in the draft (marked unsaved).
   */
  protected saveWith(write: (datasetId: number, items: Item[]) => Promise<Saved>): Promise<boolean> {
    const datasetId = this.#datasetId;
    if (datasetId === null) return Promise.resolve(false);
    const sent = this.#items;
    const items = $state.snapshot(sent) as Item[];
    return this.run('saving', () => write(datasetId, items), (saved) => {
      const edited = this.#items !== sent ? this.#items : null;
      this.#keep(saved);
      if (edited) this.setItems(edited);
    });
  }

  /** Drops every answer still on its way (the owner goes away). */
  destroy(): void {
    this.#requests.supersede();
  }

  add(item: Item): void {
    this.setItems([...this.#items, item]);
  }
  update(index: number, item: Item): void {
    this.setItems(this.#items.map((x, i) => (i === index ? item : x)));
  }
  remove(index: number): void {
    this.setItems(this.#items.filter((_, i) => i !== index));
  }
  /** Moves an item one place up (-1) or down (+1). */
  move(index: number, by: -1 | 1): void {
    const to = index + by;
    if (to < 0 || to >= this.#items.length) return;
    const items = [...this.#items];
    [items[index], items[to]] = [items[to]!, items[index]!];
    this.setItems(items);
  }
  dismissError(): void {
    this.#error = null;
  }
}

/** The rules of a dataset being edited: loaded from the saved suite, suggested, changed, saved. */
export class SuiteDraft extends ListDraft<Rule, RuleSuite, 'suggesting'> {
  #reference = $state<number | undefined>(undefined);

  constructor() {
    super({ load: (datasetId) => dataClient().getSuite(datasetId), itemsOf: (suite) => suite.rules });
  }
  get rules(): Rule[] {
    return this.items;
  }
  /** The version number batch rules compare with; undefined: each version's parent. */
  get reference(): number | undefined {
    return this.#reference;
  }
  setReference(reference: number | undefined): void {
    this.#reference = reference;
    this.touched();
  }
  protected override kept(suite: RuleSuite | null): void {
    this.#reference = suite?.reference;
  }
  /** Replaces the list by rules suggested from a version's profile (not stored until saved). */
  async suggest(versionId: number): Promise<void> {
    await this.run('suggesting', () => dataClient().suggestSuite(versionId), (suite) => this.setItems(suite.rules));
  }
  /** Stores the rules as the next suite version. True when saved. */
  save(): Promise<boolean> {
    const reference = this.#reference;
    return this.saveWith((datasetId, rules) => dataClient().saveSuite(datasetId, rules, reference));
  }
}

/** The cleaning recipe of a dataset being edited, with its preview on a version. */
export class RecipeDraft extends ListDraft<RecipeStep, Recipe, 'previewing'> {
  #preview = $state.raw<RecipePreview | null>(null);

  constructor() {
    super({ load: (datasetId) => dataClient().getRecipe(datasetId), itemsOf: (recipe) => recipe.steps });
  }
  get steps(): RecipeStep[] {
    return this.items;
  }
  get preview(): RecipePreview | null {
    return this.#preview;
  }
  protected override edited(): void {
    this.#preview = null;
  }
  /** Runs the steps on a version without storing anything. */
  async runPreview(versionId: number): Promise<void> {
    const steps = $state.snapshot(this.steps) as RecipeStep[];
    await this.run('previewing', () => dataClient().previewRecipe(versionId, steps), (preview) => (this.#preview = preview));
  }
  /** Stores the steps as the next recipe version (clip bounds fitted on `fittedOn`). True when saved. */
  save(fittedOn?: number): Promise<boolean> {
    return this.saveWith((datasetId, steps) => dataClient().saveRecipe(datasetId, steps, fittedOn));
  }
}

/** The gate and check report of one version (the selected one), the drafts, and privacy decisions. */
export class CheckState {
  #versionId = $state<number | null>(null);
  #gate = $state.raw<GateStatus | null>(null);
  #loading = $state(false);
  #checking = $state(false);
  #deciding = $state<string | null>(null);
  #error = $state<string | null>(null);
  /** Reading the gate again supersedes a read still on its way (another version, or a newer state of the same). */
  #gates = new Channel('gate');

  readonly suite = new SuiteDraft();
  readonly recipe = new RecipeDraft();

  get versionId(): number | null {
    return this.#versionId;
  }
  /** The gate of the watched version; null until the worker answered. */
  get gate(): GateStatus | null {
    return this.#gate;
  }
  get report(): CheckReport | null {
    return this.#gate?.check ?? null;
  }
  /** True while the gate is being read (which checks the version first when it never was). */
  get loading(): boolean {
    return this.#loading;
  }
  /** True while an explicit re-check runs. */
  get checking(): boolean {
    return this.#checking;
  }
  /** The column whose privacy decision is being recorded. */
  get deciding(): string | null {
    return this.#deciding;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Follows a version: reads its gate now (and again on each call, e.g. when the audit log grew). */
  watch(versionId: number | null): void {
    if (versionId !== this.#versionId) {
      this.#versionId = versionId;
      this.#gate = null;
      this.#error = null;
    }
    void this.refresh();
  }

  /** Reads the gate (and the report it carries) of the watched version again. */
  async refresh(): Promise<void> {
    const versionId = this.#versionId;
    if (versionId === null) {
      this.#gates.supersede();
      this.#loading = false;
      return;
    }
    this.#loading = true;
    try {
      this.#gate = await this.#gates.latest(() => dataClient().gate(versionId));
      this.#error = null;
      this.#loading = false;
    } catch (error) {
      if (isStale(error)) return;
      this.#error = userMessage(error);
      this.#loading = false;
    }
  }

  /** Checks the watched version again (recipe, rules, reference rules, privacy scan), then reads its gate. */
  async recheck(): Promise<void> {
    const versionId = this.#versionId;
    if (versionId === null) return;
    this.#checking = true;
    this.#error = null;
    try {
      await dataClient().checkVersion(versionId);
    } catch (error) {
      if (versionId === this.#versionId) this.#error = userMessage(error);
    } finally {
      this.#checking = false;
    }
    if (versionId === this.#versionId) await this.refresh();
  }

  /** Records a decision on a flagged column of a dataset, then reads the gate again. */
  async decide(datasetId: number, decision: PrivacyDecision): Promise<void> {
    this.#deciding = decision.column;
    this.#error = null;
    try {
      await dataClient().decidePrivacy(datasetId, decision);
      await this.refresh();
    } catch (error) {
      this.#error = userMessage(error);
    } finally {
      this.#deciding = null;
    }
  }

  dismissError(): void {
    this.#error = null;
  }

  destroy(): void {
    this.#gates.supersede();
    this.suite.destroy();
    this.recipe.destroy();
    this.#versionId = null;
  }
}

/** Failed rules of a report by severity. */
export function failures(report: CheckReport | null | undefined): { blocking: number; warnings: number } {
  const failed = report?.report.rules.filter((r) => !r.passed) ?? [];
  return { blocking: failed.filter((r) => r.severity === 'block').length, warnings: failed.filter((r) => r.severity === 'warn').length };
}

/** The Check stage's line in the sidebar, e.g. "v2 · 2 rules failed", "v2 · passed". */
export function checkStageDetail(check: CheckState, version: number | undefined): string {
  if (version === undefined) return 'Nothing to check';
  const gate = check.gate;
  if (check.checking || (!gate && check.loading)) return `v${version} · checking…`;
  if (!gate) return check.error ? `v${version} · not checked` : `v${version}`;
  const { blocking, warnings } = failures(gate.check);
  if (!gate.open) {
    if (blocking) return `v${version} · ${blocking} rule${blocking === 1 ? '' : 's'} failed`;
    if (gate.undecided.length) return `v${version} · ${gate.undecided.length} column${gate.undecided.length === 1 ? '' : 's'} to review`;
    return `v${version} · blocked`;
  }
  return warnings ? `v${version} · passed, ${warnings} warning${warnings === 1 ? '' : 's'}` : `v${version} · passed`;
}
