// "Use pipeline…": an imported spec, how it differs from the selected dataset, and applying it (Check stage saved, Train form filled).
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import { compareSpec, type SpecDifference, type SpecTarget } from '../pipeline/spec/diff.ts';
import type { PipelineSpec, SpecCheck } from '../pipeline/spec/types.ts';
import { parseSpec } from '../pipeline/spec/validate.ts';
import type { ColumnType } from '../pipeline/types.ts';
import type { TrainingState } from './training.svelte.ts';

/** The dataset version a spec is applied to. */
export interface ImportTarget {
  datasetId: number;
  versionId: number;
  datasetName: string;
  version: number;
  sha256: string;
  columns: readonly { name: string; type: ColumnType }[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class PipelineImportState {
  #spec = $state.raw<PipelineSpec | null>(null);
  #fileName = $state('');
  #differences = $state.raw<SpecDifference[]>([]);
  #current = $state.raw<SpecCheck | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);
  #applied = $state(false);

  get spec(): PipelineSpec | null {
    return this.#spec;
  }
  get fileName(): string {
    return this.#fileName;
  }
  get differences(): SpecDifference[] {
    return this.#differences;
  }
  /** True when a column the spec needs is missing: nothing may run. */
  get blocked(): boolean {
    return this.#differences.some((d) => d.blocking);
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get applied(): boolean {
    return this.#applied;
  }

  /** Reads a spec file and compares it with the target's data and Check stage; a bad spec shows its error (naming the JSON path). */
  async read(fileName: string, text: string, target: ImportTarget): Promise<void> {
    this.close();
    this.#fileName = fileName;
    this.#busy = true;
    try {
      const spec = parseSpec(text);
      const [recipe, suite, decisions] = await Promise.all([
        dataClient().getRecipe(target.datasetId),
        dataClient().getSuite(target.datasetId),
        dataClient().privacyDecisions(target.datasetId),
      ]);
      const check: SpecCheck = {
        recipe: recipe ? { version: recipe.version, steps: recipe.steps } : null,
        rules: suite ? { name: suite.name, version: suite.version, rules: suite.rules, reference: suite.reference ?? null } : null,
        privacy: decisions,
      };
      const specTarget: SpecTarget = { columns: target.columns, datasetName: target.datasetName, version: target.version, sha256: target.sha256, check };
      this.#spec = spec;
      this.#current = check;
      this.#differences = compareSpec(spec, specTarget);
    } catch (error) {
      this.#error = `${fileName}: ${userMessage(error)}`;
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Applies the spec to the dataset: its recipe, rule suite and privacy decisions become the dataset's (each
   * saved as the next version and audited, only where they differ), and the Train form takes its target,
   * task, features, split and model. Does nothing while a needed column is missing.
   */
  async apply(training: TrainingState, target: ImportTarget, columns: string[]): Promise<void> {
    const spec = this.#spec;
    const current = this.#current;
    if (!spec || !current || this.blocked || this.#busy) return;
    this.#busy = true;
    this.#error = null;
    try {
      const { check } = spec;
      if (check.recipe && !same(check.recipe.steps, current.recipe?.steps ?? [])) await dataClient().saveRecipe(target.datasetId, check.recipe.steps);
      if (check.rules && (!same(check.rules.rules, current.rules?.rules) || check.rules.reference !== (current.rules?.reference ?? null))) {
        await dataClient().saveSuite(target.datasetId, check.rules.rules, check.rules.reference ?? undefined);
      }
      for (const decision of check.privacy) {
        if (!columns.includes(decision.column) || same(decision, current.privacy.find((d) => d.column === decision.column))) continue;
        await dataClient().decidePrivacy(target.datasetId, decision);
      }
      await training.applySpec(spec);
      this.#applied = true;
    } catch (error) {
      this.#error = userMessage(error);
    } finally {
      this.#busy = false;
    }
  }

  close(): void {
    this.#spec = null;
    this.#current = null;
    this.#differences = [];
    this.#error = null;
    this.#applied = false;
    this.#fileName = '';
  }
}
