// Stores tables as Arrow IPC stream chunks (via flechette) and restores them with exact types, levels and missing.
import {
  batchType,
  Column as FlechetteColumn,
  dictionary,
  float64,
  int16,
  int32,
  int8,
  tableFromArrays,
  tableFromColumns,
  tableFromIPC,
  tableToIPC,
  utf8,
  type Batch,
} from '@uwdata/flechette';
import { AppError } from './errors.ts';
import { fillCodes, fillNumbers, type ArrowBatch } from './arrow-fill.ts';
import { intArray, NO_VALIDITY, numericBatch, padded } from './arrow-numbers.ts';
import { zeroed, type EncodeScratch } from './encode-scratch.ts';
import { concatBytes } from './csv-bytes.ts';
import { isStringColumn } from './table.ts';
import type { Column, ColumnSchema, DataTable, NumericColumn, StringColumn } from './types.ts';

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

/** Per string column: UTF-8 bytes of its levels (made when first used) and a per-chunk remap into chunk keys. */
interface DictionaryState {
  bytes: (Uint8Array | undefined)[];
  /** Chunk number + 1 in which a level was last given a key. */
  stamp: Int32Array;
  key: Int32Array;
}

const utf8Encoder = new TextEncoder();

/** Keys of a chunk written here first, then copied into an array of the narrowest width the chunk's dictionary allows. */
let keyScratch = new Int32Array(0);

/** The keys [0, n) of the scratch array in int8, int16 or int32, by the number of keys used. */
function narrowKeys(keys: Int32Array, n: number, used: number, scratch?: EncodeScratch): { keys: Int8Array | Int16Array | Int32Array; bits: 8 | 16 | 32 } {
  const bits = used <= 128 ? 8 : used <= 32768 ? 16 : 32;
  const out = intArray(bits, n, scratch);
  out.set(keys.subarray(0, n));
  return { keys: out, bits };
}

/**
 * A dictionary batch of rows [start, end): the chunk's dictionary holds the levels used in it in first-seen
 * order (what flechette's builder makes from the strings), keys are int8, int16 or int32 by the dictionary's size
 * and missing rows are null.
 */
function dictionaryBatch(column: StringColumn, state: DictionaryState, chunk: number, start: number, end: number, scratch?: EncodeScratch): Batch<unknown> {
  const n = end - start;
  const codes = column.codes;
  if (keyScratch.length < n) keyScratch = new Int32Array(n);
  const keys = keyScratch.fill(0, 0, n);
  const used: number[] = [];
  let validity: Uint8Array | null = null;
  let nullCount = 0;
  const mark = chunk + 1;
  const { stamp, key } = state;
  for (let r = start; r < end; r++) {
    const code = codes[r] as number;
    const k = r - start;
    if (code < 0) {
      if (validity === null) {
        validity = zeroed(Uint8Array, padded((n - 1 >> 3) + 1, 1), scratch);
        validity.fill(0xff, 0, k >> 3);
        for (let j = k & ~7; j < k; j++) (validity[j >> 3] as number) |= 1 << (j & 7);
      }
      nullCount++;
      continue;
    }
    if (stamp[code] !== mark) {
      stamp[code] = mark;
      key[code] = used.length;
      used.push(code);
    }
    keys[k] = key[code] as number;
    if (validity !== null) (validity[k >> 3] as number) |= 1 << (k & 7);
  }
  // The dictionary's values: utf8 offsets and bytes, padded like the builder pads them.
  const parts: Uint8Array[] = new Array<Uint8Array>(used.length);
  let total = 0;
  for (let u = 0; u < used.length; u++) {
    const code = used[u] as number;
    let b = state.bytes[code];
    if (b === undefined) state.bytes[code] = b = utf8Encoder.encode(column.levels[code] as string);
    parts[u] = b;
    total += b.length;
  }
  const offsets = zeroed(Int32Array, padded(used.length + 1, 4), scratch);
  const bytes = zeroed(Uint8Array, padded(total + 1, 1), scratch);
  let at = 0;
  for (let u = 0; u < parts.length; u++) {
    const b = parts[u] as Uint8Array;
    bytes.set(b, at);
    at += b.length;
    offsets[u + 1] = at;
  }
  const narrow = narrowKeys(keys, n, used.length, scratch);
  const type = dictionary(utf8(), narrow.bits === 8 ? int8() : narrow.bits === 16 ? int16() : int32());
  const valueType = type.dictionary;
  const ValuesBatch = batchType(valueType);
  const values = new ValuesBatch({ length: used.length, nullCount: 0, type: valueType, validity: NO_VALIDITY, offsets, values: bytes });
  const KeysBatch = batchType(type);
  const batch = new KeysBatch({ length: n, nullCount, type, validity: nullCount ? (validity as Uint8Array) : NO_VALIDITY, values: narrow.keys });
  // The encoder reads only `dictionary`; setDictionary would also decode every string into a cache.
  (batch as unknown as { dictionary: FlechetteColumn<string> }).dictionary = new FlechetteColumn([values]);
  return batch;
}

/**
 * Encodes a table as Arrow IPC stream bytes, one chunk per `rowsPerChunk` rows. Numeric columns take the narrowest
 * exact type of each chunk (arrow-numbers.ts) with nulls for missing; string columns are dictionary-encoded utf8
 * with the narrowest keys. Any Arrow reader gets the same numbers back (decimal32 and date32 decode to them).
 */
export function tableToChunks(table: DataTable, rowsPerChunk = CHUNK_ROWS): Uint8Array[] {
  return [...encodeChunks(table, rowsPerChunk)];
}

/** Rows per stored chunk. */
export const CHUNK_ROWS = 65536;

/** Which chunks `encodeChunks` makes: [from, to) of the table's chunks; `tail`: the table is a later part of a larger one. */
export interface ChunkRange {
  from?: number;
  to?: number;
  /** The rows follow earlier chunks of the same table (rows from a chunk boundary on): no chunk carries level metadata. */
  tail?: boolean;
}

/**
 * tableToChunks one chunk at a time: a caller that stores each chunk (e.g. as a Blob) before asking for the
 * next never holds the whole encoded table. Each chunk depends only on its own rows (and, for chunk 0, the
 * levels' order), so parts of a table can be encoded apart, e.g. on another core, and give the same bytes.
 */
export function* encodeChunks(table: DataTable, rowsPerChunk = CHUNK_ROWS, range: ChunkRange = {}): Generator<Uint8Array> {
  for (const parts of encodeChunkParts(table, rowsPerChunk, range)) yield concatBytes(parts);
}

/**
 * encodeChunks with each chunk's bytes left in the pieces the IPC writer makes, some of them views of the
 * table's columns: a Blob made of them (`new Blob(parts)`) copies the bytes once, where joining them first
 * would copy them twice. The pieces must be used before the columns change; with `scratch`, before the next
 * chunk is asked for (its arrays are made over the last chunk's).
 */
export function* encodeChunkParts(table: DataTable, rowsPerChunk = CHUNK_ROWS, range: ChunkRange = {}, scratch?: EncodeScratch): Generator<Uint8Array[]> {
  if (!(rowsPerChunk >= 1)) throw new AppError('bad-argument', `rowsPerChunk must be at least 1, got ${rowsPerChunk}`);
  if (table.rowCount === 0) {
    if ((range.from ?? 0) === 0 && (range.to ?? 1) > 0) yield [emptyChunk(table)];
    return;
  }
  const extraLevels = new Map<string, string>();
  const from = Math.max(0, range.from ?? 0);
  const states = table.columns.map((column, c): DictionaryState | null => {
    if (!isStringColumn(column)) return null;
    if (from === 0 && !range.tail && !levelsInDataOrder(column)) extraLevels.set(LEVELS_KEY + c, JSON.stringify(column.levels));
    const count = column.levels.length;
    return { bytes: new Array<Uint8Array | undefined>(count), stamp: new Int32Array(count), key: new Int32Array(count) };
  });
  const endRow = Math.min(table.rowCount, (range.to ?? Infinity) * rowsPerChunk);
  for (let start = from * rowsPerChunk, chunk = from; start < endRow; start += rowsPerChunk, chunk++) {
    const end = Math.min(table.rowCount, start + rowsPerChunk);
    scratch?.reset();
    const columns = table.columns.map((column, c): [string, FlechetteColumn<unknown>] => [
      column.name,
      new FlechetteColumn([
        isStringColumn(column)
          ? dictionaryBatch(column, states[c] as DictionaryState, chunk, start, end, scratch)
          : numericBatch(column, start, end, scratch),
      ]),
    ]);
    const arrow = tableFromColumns(columns);
    if (chunk === 0 && extraLevels.size > 0) arrow.schema.metadata = extraLevels;
    const sink = new PartsSink();
    tableToIPC(arrow, { format: 'stream', sink: sink as unknown as NonNullable<Parameters<typeof tableToIPC>[1]>['sink'] });
    yield sink.parts;
  }
}

/** An IPC byte consumer that keeps the pieces it is given (flechette's MemorySink joins them at the end). */
class PartsSink {
  parts: Uint8Array[] = [];
  write(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }
  pad(byteCount: number): void {
    this.parts.push(new Uint8Array(byteCount));
  }
  finish(): null {
    return null;
  }
}

function toIpc(arrow: ReturnType<typeof tableFromColumns>): Uint8Array {
  const bytes = tableToIPC(arrow, { format: 'stream' });
  if (!bytes) throw new AppError('bad-argument', 'Arrow encoding produced no bytes');
  return bytes;
}

/** The one chunk of a table without rows (through flechette's builders, which need no special cases then). */
function emptyChunk(table: DataTable): Uint8Array {
  const arrays: [string, never[]][] = [];
  const types: Record<string, ReturnType<typeof float64> | ReturnType<typeof dictionary>> = {};
  const extraLevels = new Map<string, string>();
  table.columns.forEach((column, c) => {
    arrays.push([column.name, []]);
    types[column.name] = isStringColumn(column) ? dictionary(utf8()) : float64();
    if (isStringColumn(column) && !levelsInDataOrder(column)) extraLevels.set(LEVELS_KEY + c, JSON.stringify(column.levels));
  });
  const arrow = tableFromArrays(arrays, { types });
  if (extraLevels.size > 0) arrow.schema.metadata = extraLevels;
  return toIpc(arrow);
}


/** Decodes chunks written by tableToChunks back into a table with the given schema. */
export function tableFromChunks(chunks: Uint8Array[], schema: ColumnSchema[]): DataTable {
  const decoded = chunks.map((bytes) => tableFromIPC(bytes));
  const decoder = chunkDecoder(schema, decoded.reduce((sum, t) => sum + t.numRows, 0));
  for (const arrow of decoded) decoder.add(arrow);
  return decoder.finish();
}

/** A stored chunk decoded once (flechette reads columns lazily), to pass to a ChunkDecoder or ask its row count. */
export type DecodedChunk = ReturnType<typeof tableFromIPC>;

export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  return tableFromIPC(bytes);
}

/** Fills the columns of a table of known size from its chunks, one at a time. */
export interface ChunkDecoder {
  /** The next chunk in row order: its IPC bytes, or the chunk already decoded. */
  add(chunk: Uint8Array | ReturnType<typeof tableFromIPC>): void;
  /** The table; throws when the chunks held another number of rows than announced. */
  finish(): DataTable;
  /** Takes the string levels from a version's first chunk when decoding a range that starts later. */
  levelsFrom(firstChunk: DecodedChunk): void;
}

type StringFill = { kind: 'string'; levels: string[]; index: Map<string, number>; codes: Int32Array };
type NumericFill = { kind: 'numeric'; values: Float64Array };

/**
 * A decoder for `rowCount` rows: each chunk is copied into the typed columns and can be dropped right after,
 * so loading a version holds its columns plus one chunk, never every chunk at once.
 */
export function chunkDecoder(schema: ColumnSchema[], rowCount: number): ChunkDecoder {
  const fills: (StringFill | NumericFill)[] = schema.map((field) =>
    field.type === 'category' || field.type === 'text'
      ? { kind: 'string', levels: [], index: new Map(), codes: new Int32Array(rowCount) }
      : { kind: 'numeric', values: new Float64Array(rowCount) },
  );
  let row = 0;
  let chunkIndex = 0;
  let levelsRead = false;
  const readLevels = (arrow: ReturnType<typeof tableFromIPC>) => {
    levelsRead = true;
    schema.forEach((_, c) => {
      const fill = fills[c];
      const stored = arrow.schema.metadata?.get(LEVELS_KEY + c);
      if (fill?.kind === 'string' && stored) {
        fill.levels = JSON.parse(stored) as string[];
        fill.index = new Map(fill.levels.map((level, k) => [level, k]));
      }
    });
  };
  return {
    levelsFrom(firstChunk) {
      readLevels(firstChunk);
    },
    add(chunk) {
      const arrow = chunk instanceof Uint8Array ? tableFromIPC(chunk) : chunk;
      if (row + arrow.numRows > rowCount) {
        throw new AppError('bad-argument', `Stored chunk ${chunkIndex + 1} goes past the ${rowCount} rows of the version`);
      }
      // The first chunk carries the levels of string columns whose codes are not in data order.
      if (chunkIndex === 0 && !levelsRead) readLevels(arrow);
      schema.forEach((field, c) => {
        const child = arrow.schema.fields.findIndex((f) => f.name === field.name);
        if (child < 0) throw new AppError('bad-argument', `Stored chunk ${chunkIndex + 1} has no column "${field.name}"`, { column: field.name });
        const batches = arrow.getChildAt(child).data as unknown as ArrowBatch[];
        const fill = fills[c] as StringFill | NumericFill;
        let r = row;
        for (const batch of batches) {
          if (fill.kind === 'numeric') {
            fillNumbers(fill.values, r, batch);
            r += batch.length;
            continue;
          }
          const dict = batch.dictionary?.toArray() ?? [];
          const remap = Int32Array.from({ length: dict.length }, (_, k) => {
            const level = dict[k] ?? '';
            let code = fill.index.get(level);
            if (code === undefined) {
              code = fill.levels.length;
              fill.levels.push(level);
              fill.index.set(level, code);
            }
            return code;
          });
          // Remapping in dictionary order keeps first-seen order only if dictionary order is first-seen order.
          fillCodes(fill.codes, r, batch, remap);
          r += batch.length;
        }
      });
      row += arrow.numRows;
      chunkIndex++;
    },
    finish() {
      if (row !== rowCount) throw new AppError('bad-argument', `The stored chunks hold ${row} rows; the version has ${rowCount}`);
      const columns = schema.map((field, c): Column => {
        const fill = fills[c] as StringFill | NumericFill;
        return fill.kind === 'string'
          ? { name: field.name, type: field.type as 'category' | 'text', codes: fill.codes, levels: fill.levels }
          : { name: field.name, type: field.type as NumericColumn['type'], values: fill.values };
      });
      return { rowCount, columns };
    },
  };
}
