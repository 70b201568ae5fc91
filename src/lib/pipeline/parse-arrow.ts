// Reads Arrow IPC files and streams (flechette) into typed columns; 64-bit integers beyond 2^53 become text.
import { tableFromIPC, Type, type Table } from '@uwdata/flechette';
import { AppError } from './errors.ts';
import { cleanHeader } from './csv-parser.ts';
import type { DataTable } from './types.ts';
import { ValueColumnBuilder, type ValueKind } from './value-column.ts';

/** A parsed Arrow file and what was noticed on the way. */
export interface ArrowResult {
  table: DataTable;
  notes: string[];
}

interface FieldType {
  typeId: number;
  bitWidth?: number;
}

function kindOf(type: FieldType): ValueKind {
  switch (type.typeId) {
    case Type.Int:
      return type.bitWidth === 64 ? 'int64' : 'integer';
    case Type.Float:
    case Type.Decimal:
      return 'number';
    case Type.Bool:
      return 'boolean';
    case Type.Date:
    case Type.Timestamp:
      return 'date';
    default:
      return 'string';
  }
}

/**
 * Parses Arrow IPC bytes (file or stream format). Dictionary-encoded and plain strings become category or
 * text, dates and timestamps become dates. A damaged file is an AppError ('corrupt-file') naming it.
 * @example const { table } = parseArrow(bytes, 'flights-200k.arrow');
 */
export function parseArrow(bytes: Uint8Array, fileName: string): ArrowResult {
  let arrow: Table;
  try {
    arrow = tableFromIPC(bytes, { useBigInt: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError('corrupt-file', `${fileName} is not a readable Arrow IPC file (${detail})`, { file: fileName }, { cause: error });
  }
  const rows = arrow.numRows;
  if (rows === 0) throw new AppError('header-only', `${fileName} has columns but no rows`, { file: fileName });
  const notes: string[] = [];
  const fields = arrow.schema.fields;
  const names = cleanHeader(
    fields.map((field) => field.name),
    notes,
  );
  const columns = fields.map((field, c) => {
    const builder = new ValueColumnBuilder(names[c] as string, kindOf(field.type as FieldType), rows);
    builder.write(0, arrow.getChildAt(c).toArray() as ArrayLike<unknown>);
    if (builder.overflowed) notes.push(`Column "${builder.name}": 64-bit integers above 2^53 kept as text`);
    return builder.finish();
  });
  return { table: { rowCount: rows, columns }, notes };
}
