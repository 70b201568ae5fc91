// Rows of a stored version for the virtualized grid: fetched in blocks around what is on screen, a few
// requests at a time, kept in a small least-recently-used cache; replies for another version are dropped.
import { dataClient } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { PreviewPage } from '../contracts/data.ts';

export type Row = PreviewPage['rows'][number];

const BLOCK = 200;
const MAX_BLOCKS = 40;
const IN_FLIGHT = 2;
/** Rows fetched beyond each edge of the visible range. */
const OVERSCAN = 100;

export class RowWindowState {
  #versionId: number | null = null;
  #total = $state(0);
  #columns = $state.raw<string[]>([]);
  #error = $state<string | null>(null);
  /** Bumped when a block arrives so that `row()` readers update. */
  #revision = $state(0);
  // Plain collections: `#revision` tells readers when a block arrives, without tracking every cache entry.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #blocks = new Map<number, Row[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #loading = new Set<number>();
  #wanted = { first: 0, last: -1 };
  /** The blocks of the shown version are fetched side by side; showing another version makes them stale. */
  #pages = new Channel('preview rows');

  get total(): number {
    return this.#total;
  }
  get columns(): string[] {
    return this.#columns;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Switches to another version; its size and column names are known from the version record. */
  show(versionId: number | null, total = 0, columns: string[] = []): void {
    if (versionId === this.#versionId) return;
    this.#pages.supersede();
    this.#versionId = versionId;
    this.#total = total;
    this.#columns = columns;
    this.#blocks.clear();
    this.#loading.clear();
    this.#error = null;
    this.#wanted = { first: 0, last: -1 };
    this.#revision++;
  }

  /** The cells of row `index`, or undefined while its block is being fetched. */
  row(index: number): Row | undefined {
    void this.#revision;
    const block = this.#blocks.get(Math.floor(index / BLOCK));
    return block?.[index % BLOCK];
  }

  /** The grid shows rows [first, last): fetch what is missing around them. */
  want(first: number, last: number): void {
    const from = Math.max(0, Math.floor((first - OVERSCAN) / BLOCK));
    const to = Math.floor((Math.min(this.#total, last + OVERSCAN) - 1) / BLOCK);
    this.#wanted = { first: from, last: to };
    this.#pump();
  }

  #pump(): void {
    const { first, last } = this.#wanted;
    for (let block = first; block <= last && this.#loading.size < IN_FLIGHT; block++) {
      if (this.#blocks.has(block)) {
        this.#touch(block);
        continue;
      }
      if (!this.#loading.has(block)) void this.#fetch(block);
    }
  }

  async #fetch(block: number): Promise<void> {
    const versionId = this.#versionId;
    if (versionId === null) return;
    this.#loading.add(block);
    try {
      const page = await this.#pages.join(() => dataClient().preview(versionId, block * BLOCK, BLOCK));
      this.#total = page.total;
      if (this.#columns.length !== page.columns.length) this.#columns = page.columns;
      this.#blocks.set(block, page.rows);
      this.#evict();
      this.#revision++;
    } catch (error) {
      // A block of a version no longer shown: the new version's blocks are being fetched instead.
      if (isStale(error)) return;
      this.#error = userMessage(error);
    }
    this.#loading.delete(block);
    if (this.#error === null) this.#pump();
  }

  #touch(block: number): void {
    const rows = this.#blocks.get(block);
    if (!rows) return;
    this.#blocks.delete(block);
    this.#blocks.set(block, rows);
  }

  /** Drops the least recently used blocks outside the wanted range. */
  #evict(): void {
    for (const block of this.#blocks.keys()) {
      if (this.#blocks.size <= MAX_BLOCKS) return;
      if (block < this.#wanted.first || block > this.#wanted.last) this.#blocks.delete(block);
    }
  }

  destroy(): void {
    this.#pages.supersede();
    this.#versionId = null;
    this.#blocks.clear();
  }
}
