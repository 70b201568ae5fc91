// Bench experiment shared-columns (only where the page is cross-origin isolated: MILLRACE_ISOLATED=1): the import's store work with the table's columns in SharedArrayBuffers, profiled by a second Worker while this one encodes the chunks, against both in one thread.
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { profileTable } from '../../src/lib/pipeline/profile.ts';
import { isStringColumn } from '../../src/lib/pipeline/table.ts';
import type { Column, DataTable, DatasetProfile } from '../../src/lib/pipeline/types.ts';
import { chunkBlobs } from '../../src/lib/store/chunk-blob.ts';
import { defineStep } from '../harness.ts';

interface State {
  table: DataTable;
  helper: Worker;
}

/** The same column with its array copied into a SharedArrayBuffer (the other thread reads it without a copy). */
function shared(column: Column): Column {
  if (isStringColumn(column)) {
    const codes = new Int32Array(new SharedArrayBuffer(column.codes.length * 4));
    codes.set(column.codes);
    return { ...column, codes };
  }
  const values = new Float64Array(new SharedArrayBuffer(column.values.length * 8));
  values.set(column.values);
  return { ...column, values };
}

function profileElsewhere(helper: Worker, table: DataTable): Promise<DatasetProfile> {
  return new Promise((resolve, reject) => {
    helper.onmessage = (event: MessageEvent<DatasetProfile>) => resolve(event.data);
    helper.onerror = (event) => reject(new Error(`bench: the profile Worker failed: ${event.message}`));
    helper.postMessage(table);
  });
}

function checkBlobs(blobs: Blob[], table: DataTable): void {
  if (blobs.length !== Math.ceil(table.rowCount / 65536)) throw new Error(`bench: ${blobs.length} chunk Blobs for ${table.rowCount} rows`);
}

export function registerSharedColumnsStep(): void {
  if (!(globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function')) return;
  defineStep<State>({
    name: 'shared-columns',
    description: 'experiment: the 1M-row table in SharedArrayBuffer columns; its Arrow chunks made into Blobs here while a second Worker profiles the same memory',
    peer: 'the same two jobs one after the other in this Worker (what the import does now)',
    reps: 5,
    peerReps: 5,
    async setup(ctx) {
      const parsed = parseFile(new Uint8Array(await (await ctx.csvFile()).arrayBuffer()), 'reference.csv');
      const table: DataTable = { rowCount: parsed.rowCount, columns: parsed.columns.map(shared) };
      const helper = new Worker(new URL('../profile.worker.ts', import.meta.url), { type: 'module' });
      // Loaded (and its code compiled) before the timing.
      await profileElsewhere(helper, { rowCount: 1, columns: [{ name: 'x', type: 'number', values: new Float64Array(1) }] });
      return { table, helper };
    },
    async run({ table, helper }) {
      const profile = profileElsewhere(helper, table);
      const blobs = [...chunkBlobs(table)];
      checkBlobs(blobs, table);
      if ((await profile).columns.length !== table.columns.length) throw new Error('bench: the profile Worker missed columns');
    },
    async peerRun({ table }) {
      const blobs = [...chunkBlobs(table)];
      checkBlobs(blobs, table);
      if (profileTable(table).columns.length !== table.columns.length) throw new Error('bench: the profile missed columns');
    },
  });
}
