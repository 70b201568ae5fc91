// Type overrides: casts columns to the types the user chose, naming the first value that does not fit.
import { detectDateFormat, isKnownDateFormat, parseDateAs } from './date-formats.ts';
import { AppError } from './errors.ts';
import { parseBoolean, parseNumber, setDateFormat } from './infer.ts';
import { getColumn, isStringColumn, numericToString } from './table.ts';
import type { Column, ColumnType, DataTable, NumericColumn, StringColumn } from './types.ts';

const TYPES: readonly ColumnType[] = ['integer', 'number', 'boolean', 'date', 'category', 'text'];

interface Context {
  file: string;
  dateFormat?: string;
}

function cannotRead(column: Column, type: ColumnType, row: number, value: string, ctx: Context, why = ''): AppError {
  const where = ctx.file ? `${ctx.file}: column` : 'Column';
  return new AppError(
    'type-conversion',
    `${where} "${column.name}" cannot be read as ${type}: row ${row + 1} has "${value}"${why}`,
    { file: ctx.file || undefined, row: row + 1, column: column.name },
  );
}

/** Numbers as dictionary-coded strings, written the way the table shows them. */
function toStrings(column: NumericColumn, type: 'category' | 'text'): StringColumn {
  const index = new Map<number, number>();
  const levels: string[] = [];
  const codes = new Int32Array(column.values.length);
  column.values.forEach((v, r) => {
    if (v !== v) {
      codes[r] = -1;
      return;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = levels.length;
      levels.push(numericToString(column, v));
      index.set(v, code);
    }
    codes[r] = code;
  });
  return { name: column.name, type, codes, levels };
}

function levelParser(type: ColumnType, levels: readonly string[], ctx: Context): { parse: (raw: string) => number; format?: string } {
  if (type === 'boolean') return { parse: parseBoolean };
  if (type === 'integer') {
    return { parse: (raw) => ((n) => (Number.isSafeInteger(n) ? n : NaN))(parseNumber(raw)) };
  }
  if (type === 'number') return { parse: parseNumber };
  const present = levels.filter((l) => l.trim() !== '');
  const format = ctx.dateFormat ?? detectDateFormat(present) ?? detectDateFormat(present.slice(0, 1)) ?? 'yyyy-mm-dd';
  return { parse: (raw) => parseDateAs(raw, format), format };
}

/** Text to a numeric type: each level is parsed once; the first row holding a level that fails is named. */
function parseLevels(column: StringColumn, type: NumericColumn['type'], ctx: Context): NumericColumn {
  const { parse, format } = levelParser(type, column.levels, ctx);
  const parsed = Float64Array.from(column.levels, (level) => (level.trim() === '' ? NaN : parse(level.trim())));
  const values = new Float64Array(column.codes.length);
  column.codes.forEach((code, r) => {
    if (code < 0) {
      values[r] = NaN;
      return;
    }
    const v = parsed[code] as number;
    const level = column.levels[code] as string;
    if (v !== v && level.trim() !== '') throw cannotRead(column, type, r, level, ctx, format ? ` (not a date in the format ${format})` : '');
    values[r] = v;
  });
  const result: NumericColumn = { name: column.name, type, values };
  if (format) setDateFormat(result, format);
  return result;
}

/** One numeric type to another: the values are kept; integer and boolean targets check each value. */
function recast(column: NumericColumn, type: NumericColumn['type'], ctx: Context): NumericColumn {
  if (type === 'date') {
    if (column.type === 'boolean') throw cannotRead(column, type, 0, 'true/false', ctx);
    return parseLevels(toStrings(column, 'text'), type, ctx);
  }
  const values = column.values;
  for (let r = 0; r < values.length; r++) {
    const v = values[r] as number;
    if (v !== v) continue;
    if (type === 'integer' && !Number.isSafeInteger(v)) throw cannotRead(column, type, r, numericToString(column, v), ctx);
    if (type === 'boolean' && v !== 0 && v !== 1) throw cannotRead(column, type, r, numericToString(column, v), ctx, ' (only 0 and 1 are booleans)');
  }
  return { name: column.name, type, values };
}

/** Casts one column to a type; returns the same column when it already has it. */
export function castColumn(column: Column, type: ColumnType, fileName = '', dateFormat?: string): Column {
  if (!TYPES.includes(type)) {
    throw new AppError('bad-argument', `Unknown column type "${String(type)}" for column "${column.name}"; use one of ${TYPES.join(', ')}`, {
      column: column.name,
    });
  }
  if (dateFormat !== undefined && !isKnownDateFormat(dateFormat)) {
    throw new AppError('bad-argument', `Unknown date format "${dateFormat}" for column "${column.name}"`, { column: column.name });
  }
  const ctx: Context = { file: fileName, dateFormat };
  // A date column was already read in its chosen format: parsers keep such columns as text until this cast.
  if (column.type === type) return column;
  if (type === 'category' || type === 'text') {
    return isStringColumn(column) ? { ...column, type } : toStrings(column, type);
  }
  if (isStringColumn(column)) return parseLevels(column, type, ctx);
  return recast(column, type, ctx);
}

/**
 * Applies the user's column types to a table; other columns are kept as they are. A value that cannot be
 * read as its new type is an AppError naming the column, the row and the value.
 * @example applyTypeOverrides(table, { zip: 'category', score: 'number' })
 */
export function applyTypeOverrides(
  table: DataTable,
  types: Readonly<Record<string, ColumnType>>,
  fileName = '',
  dateFormats: Readonly<Record<string, string>> = {},
): DataTable {
  const wanted = new Map(Object.entries(types));
  for (const name of wanted.keys()) getColumn(table, name);
  for (const name of Object.keys(dateFormats)) if (!wanted.has(name)) getColumn(table, name);
  const columns = table.columns.map((column) => {
    const type = wanted.get(column.name) ?? (dateFormats[column.name] !== undefined ? 'date' : undefined);
    return type === undefined ? column : castColumn(column, type, fileName, dateFormats[column.name]);
  });
  return { rowCount: table.rowCount, columns };
}
