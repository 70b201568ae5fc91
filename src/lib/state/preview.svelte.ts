// Paged preview of a stored dataset version's rows; stale pages from an earlier request are dropped.
import { dataClient } from '../workers-client/data-client.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { PreviewPage } from '../../../workers/protocol.ts';

export const PAGE_SIZE = 50;

export class PreviewState {
  #versionId = $state<number | null>(null);
  #pageIndex = $state(0);
  #page = $state.raw<PreviewPage | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #request = 0;

  get page(): PreviewPage | null {
    return this.#page;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): string | null {
    return this.#error;
  }
  /** 0-based index of the page shown. */
  get pageIndex(): number {
    return this.#pageIndex;
  }
  get pageCount(): number {
    return this.#page ? Math.max(1, Math.ceil(this.#page.total / PAGE_SIZE)) : 1;
  }

  /** Shows the first page of another version (no-op when it is already shown). */
  show(versionId: number | null): void {
    if (versionId === this.#versionId) return;
    this.#versionId = versionId;
    this.#page = null;
    void this.goTo(0);
  }

  async goTo(pageIndex: number): Promise<void> {
    const versionId = this.#versionId;
    if (versionId === null) return;
    const index = Math.max(0, Math.min(pageIndex, this.pageCount - 1));
    const request = ++this.#request;
    this.#pageIndex = index;
    this.#loading = true;
    this.#error = null;
    try {
      const page = await dataClient().preview(versionId, index * PAGE_SIZE, PAGE_SIZE);
      if (request === this.#request) this.#page = page;
    } catch (error) {
      if (request === this.#request) this.#error = userMessage(error);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }

  destroy(): void {
    this.#request++;
  }
}
