// Actions on registered models: batch-score a file and export the self-contained bundle (each a download), import a bundle.
import { mlClient } from '../workers-client/ml-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ModelSummary } from '../contracts/store.ts';
import { downloadBlob } from './download.svelte.ts';

export class ModelsState {
  /** Model id → what it is doing right now ("Scoring…", "Exporting…"). */
  #busy = $state<Record<number, string>>({});
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #importing = $state(false);
  #alive = true;

  busy(modelId: number): string | undefined {
    return this.#busy[modelId];
  }
  get error(): string | null {
    return this.#error;
  }
  get notice(): string | null {
    return this.#notice;
  }

  async score(model: ModelSummary, file: File): Promise<void> {
    await this.#run(model, 'Scoring…', async (id) => {
      const result = await mlClient().score(id, { name: file.name, data: file });
      const fileName = `${model.name}-v${model.version}-predictions.csv`;
      if (this.#alive) downloadBlob(result.csv, fileName);
      return `Scored ${result.rows.toLocaleString()} rows of ${file.name} with ${model.name} v${model.version}; saved ${fileName}.`;
    });
  }

  async exportBundle(model: ModelSummary): Promise<void> {
    await this.#run(model, 'Exporting…', async (id) => {
      const result = await mlClient().exportModel(id);
      if (this.#alive) downloadBlob(result.zip, result.fileName);
      return `Exported ${model.name} v${model.version} as ${result.fileName}.`;
    });
  }

  /** True while a bundle is being imported. */
  get importing(): boolean {
    return this.#importing;
  }

  /** Imports a bundle zip as the next version of its model's name; a refusal (naming the file) shows as the error. */
  async importBundle(file: File): Promise<void> {
    if (this.#importing) return;
    this.#importing = true;
    this.#error = null;
    this.#notice = null;
    try {
      const result = await mlClient().importModelBundle({ name: file.name, data: file });
      if (this.#alive) this.#notice = `Imported ${file.name} as ${result.name} v${result.version}.`;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      this.#importing = false;
    }
  }

  async #run(model: ModelSummary, label: string, work: (id: number) => Promise<string>): Promise<void> {
    const id = model.id;
    if (this.#busy[id]) return;
    this.#busy[id] = label;
    this.#error = null;
    this.#notice = null;
    try {
      const notice = await work(id);
      if (this.#alive) this.#notice = notice;
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      delete this.#busy[id];
    }
  }

  dismissError(): void {
    this.#error = null;
  }

  destroy(): void {
    this.#alive = false;
  }
}
