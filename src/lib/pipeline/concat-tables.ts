// Appends a batch to a table: columns matched by name (or a rename), types unified, missing cells where a side lacks a column.
import { dateFormatOf, setDateFormat } from './infer.ts';
import { isStringColumn } from './table.ts';
import { castColumn } from './type-overrides.ts';
import type { Column, ColumnType, DataTable, NumericColumn, StringColumn } from './types.ts';

const NUMBERS: readonly ColumnType[] = ['integer', 'number'];
const STRINGS: readonly ColumnType[] = ['category', 'text'];

/**
 * The type that holds both sides: the same type; integer and number give number; any other mix is read as
 * text (category unless one side is free text).
 */
export function unifyTypes(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType {
  if (a === undefined || b === undefined || a === b) return (a ?? b) as ColumnType;
  if (NUMBERS.includes(a) && NUMBERS.includes(b)) return 'number';
  return a === 'text' || b === 'text' ? 'text' : 'category';
}

function concatNumeric(name: string, type: NumericColumn['type'], top: Column | undefined, bottom: Column | undefined, topRows: number, bottomRows: number): NumericColumn {
  const values = new Float64Array(topRows + bottomRows).fill(NaN);
  if (top) values.set((top as NumericColumn).values, 0);
  if (bottom) values.set((bottom as NumericColumn).values, topRows);
  const result: NumericColumn = { name, type, values };
  const format = (top && dateFormatOf(top)) ?? (bottom && dateFormatOf(bottom));
  if (type === 'date' && format) setDateFormat(result, format);
  return result;
}

function concatStrings(name: string, type: StringColumn['type'], top: Column | undefined, bottom: Column | undefined, topRows: number, bottomRows: number): StringColumn {
  const codes = new Int32Array(topRows + bottomRows).fill(-1);
  const levels = top ? [...(top as StringColumn).levels] : [];
  if (top) codes.set((top as StringColumn).codes, 0);
  if (bottom) {
    const index = new Map(levels.map((level, k) => [level, k]));
    const remap = (bottom as StringColumn).levels.map((level) => {
      let code = index.get(level);
      if (code === undefined) {
        code = levels.length;
        levels.push(level);
        index.set(level, code);
      }
      return code;
    });
    const source = (bottom as StringColumn).codes;
    for (let r = 0; r < source.length; r++) {
      const code = source[r] as number;
      codes[topRows + r] = code < 0 ? -1 : (remap[code] as number);
    }
  }
  return { name, type, codes, levels };
}

/**
 * Rows of `base` followed by rows of `batch`. Columns keep the base's order (under the batch's name when
 * `renames` maps a batch column to a base one); columns only in the batch come last. A side without a
 * column gets missing cells; differing types are unified by `unifyTypes`.
 * @example concatTables(v1, batch, { temperature: 'temp' }).rowCount === v1.rowCount + batch.rowCount
 */
export function concatTables(base: DataTable, batch: DataTable, renames: Readonly<Record<string, string>> = {}): DataTable {
  const newNameOf = new Map(Object.entries(renames).map(([added, old]) => [old, added]));
  const batchByName = new Map(batch.columns.map((c) => [c.name, c]));
  const pairs: [string, Column | undefined, Column | undefined][] = base.columns.map((column) => {
    const name = newNameOf.get(column.name) ?? column.name;
    const partner = batchByName.get(name);
    batchByName.delete(name);
    return [name, column, partner];
  });
  for (const [name, column] of batchByName) pairs.push([name, undefined, column]);
  const columns = pairs.map(([name, top, bottom]): Column => {
    const type = unifyTypes(top?.type, bottom?.type);
    const a = top && top.type !== type ? castColumn(top, type) : top;
    const b = bottom && bottom.type !== type ? castColumn(bottom, type) : bottom;
    if (STRINGS.includes(type) || (a && isStringColumn(a))) {
      return concatStrings(name, type as StringColumn['type'], a, b, base.rowCount, batch.rowCount);
    }
    return concatNumeric(name, type as NumericColumn['type'], a, b, base.rowCount, batch.rowCount);
  });
  return { rowCount: base.rowCount + batch.rowCount, columns };
}
