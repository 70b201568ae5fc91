// Importing files into dataset versions: a dropped or chosen file, or the bundled demo, with progress and errors.
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { ImportProgress, ImportResult } from '../../../workers/protocol.ts';

const phaseLabels: Record<ImportProgress['phase'], string> = {
  reading: 'Reading file',
  parsing: 'Parsing rows',
  profiling: 'Profiling columns',
  storing: 'Saving to this device',
  done: 'Done',
};

/** One import at a time; `onImported` lets the view select the new version. */
export class DatasetsState {
  #fileName = $state<string | null>(null);
  #progress = $state<ImportProgress | null>(null);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #onImported: (result: ImportResult) => void;
  #alive = true;

  constructor(onImported: (result: ImportResult) => void) {
    this.#onImported = onImported;
  }

  get busy(): boolean {
    return this.#fileName !== null;
  }
  /** The file being imported. */
  get fileName(): string | null {
    return this.#fileName;
  }
  get fraction(): number {
    return this.#progress?.fraction ?? 0;
  }
  get phaseLabel(): string {
    return this.#progress ? phaseLabels[this.#progress.phase] : 'Starting';
  }
  /** The worker's message for a failed import; it names the file, row and column. */
  get error(): string | null {
    return this.#error;
  }
  /** A short note after a successful import, e.g. that the same content already existed. */
  get notice(): string | null {
    return this.#notice;
  }

  dismissError(): void {
    this.#error = null;
  }

  async importFile(file: File | Blob, name = file instanceof File ? file.name : 'data'): Promise<void> {
    if (this.busy) return;
    this.#fileName = name;
    this.#progress = null;
    this.#error = null;
    this.#notice = null;
    try {
      const result = await dataClient().importFile({ name, data: file }, (p) => {
        if (this.#alive) this.#progress = p;
      });
      if (!this.#alive) return;
      this.#notice =
        result.duplicateOf !== undefined
          ? `${name} has the same content as version ${result.version}; that version is selected.`
          : `Imported ${name}: ${result.rows.toLocaleString()} rows as version ${result.version}.`;
      this.#onImported(result);
    } catch (error) {
      if (this.#alive) this.#error = userMessage(error);
    } finally {
      if (this.#alive) {
        this.#fileName = null;
        this.#progress = null;
      }
    }
  }

  /** Fetches the bundled Palmer Penguins file from this origin (cached by the service worker) and imports it. */
  async loadDemo(): Promise<void> {
    if (this.busy) return;
    const name = 'penguins.json';
    try {
      const response = await fetch(`${import.meta.env.BASE_URL}demo/penguins.json`);
      if (!response.ok) throw new Error(`Could not load the demo dataset (HTTP ${response.status}).`);
      await this.importFile(await response.blob(), name);
    } catch (error) {
      this.#error = userMessage(error);
    }
  }

  destroy(): void {
    this.#alive = false;
  }
}
