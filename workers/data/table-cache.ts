// The data worker's decoded version tables: the last few loaded are kept, so paging, checks and previews read IndexedDB once.
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { loadVersionTable } from '../../src/lib/store/datasets.ts';

/** Loads a version's table (from IndexedDB or a cache). */
export type TableLoader = (versionId: number) => Promise<DataTable>;

/** Tables kept at once: a version and its parent (a check compares the two). */
const MAX_TABLES = 2;

/** Most recently used last. */
const tables = new Map<number, Promise<DataTable>>();

function touch(versionId: number, table: Promise<DataTable>): void {
  tables.delete(versionId);
  tables.set(versionId, table);
  for (const id of tables.keys()) if (tables.size > MAX_TABLES) tables.delete(id);
}

/** A version's table, decoded once and kept while it is among the last few used. */
export function cachedVersionTable(versionId: number): Promise<DataTable> {
  const known = tables.get(versionId);
  if (known) {
    touch(versionId, known);
    return known;
  }
  const table = loadVersionTable(versionId);
  touch(versionId, table);
  table.catch(() => {
    if (tables.get(versionId) === table) tables.delete(versionId);
  });
  return table;
}

/** A version's table if it is decoded (or being decoded) already; never loads. */
export function keptTable(versionId: number): Promise<DataTable> | undefined {
  return tables.get(versionId);
}

/** Keeps a table that was just stored (an import), so the check that follows does not decode it again. */
export function rememberTable(versionId: number, table: DataTable): void {
  touch(versionId, Promise.resolve(table));
}

/** Forgets a deleted version's table. */
export function forgetTable(versionId: number): void {
  tables.delete(versionId);
}

/** A loader that decodes each version at most once for as long as it is used (one training run, one check). */
export function memoLoader(load: TableLoader = loadVersionTable): TableLoader {
  const seen = new Map<number, Promise<DataTable>>();
  return (versionId) => {
    let table = seen.get(versionId);
    if (!table) {
      table = load(versionId);
      seen.set(versionId, table);
    }
    return table;
  };
}
