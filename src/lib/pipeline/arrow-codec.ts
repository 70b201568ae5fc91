// Stores tables as Arrow IPC stream chunks (via flechette) and restores them with exact types, levels and missing.
import { dictionary, float64, tableFromArrays, tableFromIPC, tableToIPC, utf8 } from '@uwdata/flechette';
import { AppError } from './errors.ts';
import { isStringColumn } from './table.ts';
import type { Column, ColumnSchema, DataTable, StringColumn } from './types.ts';

/** Schema metadata key holding a column's level list when data order alone would not restore it. */
const LEVELS_KEY = 'millrace.levels.';

/** The schema (names and types) of a table, in column order. */
export function tableSchema(table: DataTable): ColumnSchema[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type }));
}

/** True when the levels are exactly the used levels in first-seen order, which decoding reproduces. */
function levelsInDataOrder(column: StringColumn): boolean {
  let next = 0;
  for (const code of column.codes) {
    if (code < 0 || code < next) continue;
    if (code !== next) return false;
    next++;
  }
  return next === column.levels.length;
}

/**
 * Encodes a table as Arrow IPC stream bytes, one chunk per `rowsPerChunk` rows. Numeric columns are Float64 with
 * nulls for missing; string columns are dictionary-encoded utf8.
 */
export function tableToChunks(table: DataTable, rowsPerChunk = 65536): Uint8Array[] {
  if (!(rowsPerChunk >= 1)) throw new AppError('bad-argument', `rowsPerChunk must be at least 1, got ${rowsPerChunk}`);
  const extraLevels = new Map<string, string>();
  table.columns.forEach((column, c) => {
    if (isStringColumn(column) && !levelsInDataOrder(column)) extraLevels.set(LEVELS_KEY + c, JSON.stringify(column.levels));
  });
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < table.rowCount || (start === 0 && chunks.length === 0); start += rowsPerChunk) {
    const end = Math.min(table.rowCount, start + rowsPerChunk);
    const arrays: [string, (number | string | null)[]][] = [];
    const types: Record<string, ReturnType<typeof float64> | ReturnType<typeof dictionary>> = {};
    for (const column of table.columns) {
      const out = new Array<number | string | null>(end - start);
      if (isStringColumn(column)) {
        for (let r = start; r < end; r++) {
          const code = column.codes[r] as number;
          out[r - start] = code < 0 ? null : (column.levels[code] as string);
        }
        types[column.name] = dictionary(utf8());
      } else {
        for (let r = start; r < end; r++) {
          const v = column.values[r] as number;
          out[r - start] = v === v ? v : null;
        }
        types[column.name] = float64();
      }
      arrays.push([column.name, out]);
    }
    const arrow = tableFromArrays(arrays, { types });
    if (chunks.length === 0 && extraLevels.size > 0) arrow.schema.metadata = extraLevels;
    const bytes = tableToIPC(arrow, { format: 'stream' });
    if (!bytes) throw new AppError('bad-argument', 'Arrow encoding produced no bytes');
    chunks.push(bytes);
    if (end >= table.rowCount) break;
  }
  return chunks;
}

interface ArrowBatch {
  length: number;
  nullCount: number;
  values: ArrayLike<number>;
  isValid(index: number): boolean;
  dictionary?: { toArray(): ArrayLike<string | null> };
}

/** Decodes chunks written by tableToChunks back into a table with the given schema. */
export function tableFromChunks(chunks: Uint8Array[], schema: ColumnSchema[]): DataTable {
  const decoded = chunks.map((bytes) => tableFromIPC(bytes));
  const rowCount = decoded.reduce((sum, t) => sum + t.numRows, 0);
  const metadata = decoded[0]?.schema.metadata ?? null;
  const columns = schema.map((field, c): Column => {
    const batchesOf = (index: number) => {
      const arrow = decoded[index];
      const child = arrow?.schema.fields.findIndex((f) => f.name === field.name) ?? -1;
      if (!arrow || child < 0) {
        throw new AppError('bad-argument', `Stored chunk ${index + 1} has no column "${field.name}"`, { column: field.name });
      }
      return arrow.getChildAt(child).data as unknown as ArrowBatch[];
    };
    if (field.type === 'category' || field.type === 'text') {
      const stored = metadata?.get(LEVELS_KEY + c);
      const levels: string[] = stored ? (JSON.parse(stored) as string[]) : [];
      const index = new Map(levels.map((level, k) => [level, k]));
      const codes = new Int32Array(rowCount);
      let row = 0;
      decoded.forEach((_, t) => {
        for (const batch of batchesOf(t)) {
          const dict = batch.dictionary?.toArray() ?? [];
          const remap = Int32Array.from({ length: dict.length }, (_, k) => {
            const level = dict[k] ?? '';
            let code = index.get(level);
            if (code === undefined) {
              code = levels.length;
              levels.push(level);
              index.set(level, code);
            }
            return code;
          });
          // Remapping in dictionary order keeps first-seen order only if dictionary order is first-seen order.
          for (let i = 0; i < batch.length; i++) {
            codes[row++] = batch.nullCount && !batch.isValid(i) ? -1 : (remap[batch.values[i] as number] as number);
          }
        }
      });
      return { name: field.name, type: field.type, codes, levels };
    }
    const values = new Float64Array(rowCount);
    let row = 0;
    decoded.forEach((_, t) => {
      for (const batch of batchesOf(t)) {
        for (let i = 0; i < batch.length; i++) {
          values[row++] = batch.nullCount && !batch.isValid(i) ? NaN : (batch.values[i] as number);
        }
      }
    });
    return { name: field.name, type: field.type, values };
  });
  return { rowCount, columns };
}
