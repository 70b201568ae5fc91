// Writes CSV text (RFC 4180 quoting, CRLF line ends), including a table with prediction columns appended.
import { AppError } from './errors.ts';
import { cleanHeader } from './parse-csv.ts';
import { cellValue } from './table.ts';
import type { DataTable } from './types.ts';

type Cell = string | number | boolean | null;

/** Quotes a field when it holds a comma, a quote, or a line break; doubles inner quotes. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'boolean' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The shortest decimal text that reads back as the same float32 (0.3, not 0.30000001192092896). */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return '';
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(value);
}

/**
 * Builds CSV text from a header and a cell callback.
 * @example toCsv(['a', 'b'], 1, (r, c) => (c === 0 ? 'x,y' : 2)) // 'a,b\r\n"x,y",2\r\n'
 */
export function toCsv(header: string[], rowCount: number, cell: (row: number, col: number) => Cell): string {
  const lines = new Array<string>(rowCount + 1);
  lines[0] = header.map(csvField).join(',');
  const fields = new Array<string>(header.length);
  for (let r = 0; r < rowCount; r++) {
    for (let c = 0; c < header.length; c++) fields[c] = csvField(cell(r, c));
    lines[r + 1] = fields.join(',');
  }
  return lines.join('\r\n') + '\r\n';
}

/** The table's columns followed by prediction columns, as CSV. Float32 predictions are written at float32 precision. */
export function predictionsCsv(
  table: DataTable,
  predictionColumns: { name: string; values: (string | number)[] | Float32Array | Float64Array }[],
): string {
  for (const p of predictionColumns) {
    if (p.values.length !== table.rowCount) {
      throw new AppError(
        'bad-argument',
        `Prediction column "${p.name}" has ${p.values.length} values for ${table.rowCount} rows`,
        { column: p.name },
      );
    }
  }
  const header = cleanHeader([...table.columns.map((c) => c.name), ...predictionColumns.map((p) => p.name)]);
  const width = table.columns.length;
  return toCsv(header, table.rowCount, (row, col) => {
    const column = table.columns[col];
    if (column) return cellValue(column, row);
    const prediction = predictionColumns[col - width];
    if (!prediction) return null;
    const value = prediction.values[row] ?? null;
    if (prediction.values instanceof Float32Array && typeof value === 'number') return formatFloat32(value);
    return value;
  });
}
