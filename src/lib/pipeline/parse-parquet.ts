// Reads Parquet files with hyparquet (all codecs via hyparquet-compressors) into typed columns.
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { AppError } from './errors.ts';
import { cleanHeader } from './csv-parser.ts';
import type { DataTable } from './types.ts';
import { ValueColumnBuilder, type ValueKind } from './value-column.ts';

/** A parsed Parquet file and what was noticed on the way (renamed columns, 64-bit integers kept as text). */
export interface ParquetResult {
  table: DataTable;
  notes: string[];
}

function corrupt(fileName: string, error: unknown): AppError {
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError('corrupt-file', `${fileName} is not a readable Parquet file (${detail})`, { file: fileName }, { cause: error });
}

/** The storage kind of a top-level Parquet column from its physical and logical types. */
function kindOf(element: SchemaElement, nested: boolean): ValueKind {
  if (nested) return 'string';
  const logical = element.logical_type?.type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || element.converted_type === 'DATE') return 'date';
  if (element.converted_type === 'TIMESTAMP_MILLIS' || element.converted_type === 'TIMESTAMP_MICROS') return 'date';
  if (logical === 'DECIMAL' || element.converted_type === 'DECIMAL') return 'number';
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
      return 'integer';
    case 'INT64':
      return 'int64';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'INT96':
      return 'date';
    default:
      return 'string';
  }
}

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  // Copy through the ArrayBuffer: a Node Buffer's slice() is a view, not a copy.
  return new Uint8Array(bytes).buffer;
}

/**
 * Parses a Parquet file. INT64 values become numbers when within ±2^53; a column holding larger ones is
 * kept as text and a note says so. A damaged file is an AppError ('corrupt-file') naming it.
 * @example const { table, notes } = await parseParquet(bytes, 'flights.parquet');
 */
export async function parseParquet(bytes: Uint8Array, fileName: string, options: { rowEnd?: number } = {}): Promise<ParquetResult> {
  const file = asArrayBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (error) {
    throw corrupt(fileName, error);
  }
  const total = Number(metadata.num_rows);
  const rows = options.rowEnd === undefined ? total : Math.min(total, options.rowEnd);
  const children = parquetSchema(metadata).children;
  const notes: string[] = [];
  const names = cleanHeader(
    children.map((child) => child.element.name),
    notes,
  );
  const builders = children.map((child, c) => new ValueColumnBuilder(names[c] as string, kindOf(child.element, child.children.length > 0), rows));
  const byName = new Map(children.map((child, c) => [child.element.name, builders[c] as ValueColumnBuilder]));
  try {
    await parquetRead({
      file,
      metadata,
      compressors,
      rowEnd: rows,
      onChunk(chunk) {
        byName.get(chunk.columnName)?.write(chunk.rowStart, chunk.columnData);
      },
    });
  } catch (error) {
    throw corrupt(fileName, error);
  }
  const columns = builders.map((builder) => {
    if (builder.overflowed) notes.push(`Column "${builder.name}": 64-bit integers above 2^53 kept as text`);
    return builder.finish();
  });
  if (rows === 0) throw new AppError('header-only', `${fileName} has columns but no rows`, { file: fileName });
  return { table: { rowCount: rows, columns }, notes };
}
