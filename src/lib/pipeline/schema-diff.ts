// Schema diff of a new batch against a dataset's latest table: added, removed, renamed, retyped columns, new categories.
import { isStringColumn } from './table.ts';
import type { Column, ColumnType, DataTable } from './types.ts';

/** One difference between a dataset's schema and a new batch, in the user's words. */
export interface SchemaChange {
  kind: 'added' | 'removed' | 'renamed' | 'type-changed' | 'new-categories';
  /** The column's name in the batch (in the dataset for 'removed'). */
  column: string;
  /** e.g. 'integer → number', '3 new values: "fog", "snow", …', 'renamed from "temp"'. */
  detail: string;
}

/** The changes, and the columns taken as renamed: batch name → dataset name. */
export interface SchemaDiff {
  changes: SchemaChange[];
  renames: Record<string, string>;
}

/** Values shown in a 'new-categories' detail before "…". */
const SHOWN_VALUES = 2;

/** Distinct non-missing values of a string column that some row uses, in level order. */
export function usedLevels(column: Column): string[] {
  if (!isStringColumn(column)) return [];
  const used = new Uint8Array(column.levels.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  return column.levels.filter((_, k) => used[k] === 1);
}

function numericRange(column: Column): { min: number; max: number; mean: number } | undefined {
  if (isStringColumn(column)) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (const v of column.values) {
    if (v !== v) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  return n === 0 ? undefined : { min, max, mean: sum / n };
}

/**
 * Whether a removed and an added column look like one column under two names: the same type, and values
 * alike (numbers: each mean lies within the other's range; text: at least half the batch's values were seen).
 */
function looksRenamed(old: Column, added: Column): boolean {
  if (old.type !== added.type) return false;
  if (isStringColumn(old)) {
    const seen = new Set(usedLevels(old));
    const levels = usedLevels(added);
    if (levels.length === 0) return seen.size === 0;
    return levels.filter((level) => seen.has(level)).length >= levels.length / 2;
  }
  const a = numericRange(old);
  const b = numericRange(added);
  if (!a || !b) return !a && !b;
  return a.mean >= b.min && a.mean <= b.max && b.mean >= a.min && b.mean <= a.max;
}

function newCategories(old: Column, added: Column): SchemaChange | undefined {
  if (old.type !== 'category' || added.type !== 'category') return undefined;
  const seen = new Set(usedLevels(old));
  const fresh = usedLevels(added).filter((level) => !seen.has(level));
  if (fresh.length === 0) return undefined;
  const shown = fresh.slice(0, SHOWN_VALUES).map((v) => JSON.stringify(v));
  if (fresh.length > SHOWN_VALUES) shown.push('…');
  const noun = fresh.length === 1 ? 'new value' : 'new values';
  return { kind: 'new-categories', column: added.name, detail: `${fresh.length} ${noun}: ${shown.join(', ')}` };
}

function typeChange(name: string, from: ColumnType, to: ColumnType): SchemaChange {
  return { kind: 'type-changed', column: name, detail: `${from} → ${to}` };
}

/**
 * Compares a batch with the dataset's latest table. Columns are matched by name; a removed and an added
 * column of the same type with alike values are taken as renamed (first match in column order).
 * @example diffSchemas(latest, batch).changes // [{ kind: 'added', column: 'wind', detail: 'new column (number)…' }]
 */
export function diffSchemas(base: DataTable, batch: DataTable): SchemaDiff {
  const baseByName = new Map(base.columns.map((c) => [c.name, c]));
  const batchNames = new Set(batch.columns.map((c) => c.name));
  const removed = base.columns.filter((c) => !batchNames.has(c.name));
  const changes: SchemaChange[] = [];
  const renames: Record<string, string> = {};
  for (const column of batch.columns) {
    let old = baseByName.get(column.name);
    if (!old) {
      const at = removed.findIndex((r) => looksRenamed(r, column));
      if (at < 0) {
        changes.push({ kind: 'added', column: column.name, detail: `new column (${column.type}); earlier rows get missing values` });
        continue;
      }
      old = removed.splice(at, 1)[0] as Column;
      renames[column.name] = old.name;
      changes.push({ kind: 'renamed', column: column.name, detail: `renamed from ${JSON.stringify(old.name)}` });
    }
    if (old.type !== column.type) changes.push(typeChange(column.name, old.type, column.type));
    const categories = newCategories(old, column);
    if (categories) changes.push(categories);
  }
  for (const column of removed) {
    changes.push({ kind: 'removed', column: column.name, detail: `not in this batch (${column.type}); its rows get missing values` });
  }
  return { changes, renames };
}
