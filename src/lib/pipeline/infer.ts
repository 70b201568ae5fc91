// Type inference: turns raw cell values into typed columns, deciding each column's type from its distinct values.
import { detectDateFormat, parseDateAs, parseIsoDate } from './date-formats.ts';
import type { Column, ColumnType } from './types.ts';

export { parseIsoDate };

/** Tokens that mean "no value" in a text file. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'null']);

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DAY_MS = 86_400_000;

/** True when a raw text token stands for a missing value. */
export function isMissingToken(value: string): boolean {
  return MISSING_TOKENS.has(value);
}

/** Formats epoch ms as yyyy-mm-dd when it falls on midnight UTC, else as a full ISO string. */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
}

/** Parses a boolean token (true/false in any case) to 1/0, or NaN. */
export function parseBoolean(value: string): number {
  const lower = value.length === 4 || value.length === 5 ? value.toLowerCase() : '';
  return lower === 'true' ? 1 : lower === 'false' ? 0 : NaN;
}

/** Parses a plain decimal number (no hex, no Infinity), or NaN. */
export function parseNumber(value: string): number {
  const trimmed = value.trim();
  return NUMBER_RE.test(trimmed) ? Number(trimmed) : NaN;
}

/** A number with a decimal comma, its whole part maybe grouped by points (3,5 or 1.234,5). */
const DECIMAL_COMMA_RE = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?$/;

/** Parses a number written with a decimal comma (3,5; 1.234,5; 12), or NaN. */
export function parseDecimalComma(value: string): number {
  const trimmed = value.trim();
  return /\d/.test(trimmed) && DECIMAL_COMMA_RE.test(trimmed) ? Number(trimmed.replaceAll('.', '').replace(',', '.')) : NaN;
}

/** Parses any scalar token as a number the way a numeric column stores it (number, date or boolean), or NaN. */
export function parseScalar(value: string): number {
  const n = parseNumber(value);
  if (!Number.isNaN(n)) return n;
  const d = parseIsoDate(value.trim());
  if (!Number.isNaN(d)) return d;
  return parseBoolean(value.trim());
}

/** Number of distinct levels at or below which a string column counts as a category. */
export function categoryLimit(rows: number): number {
  return Math.max(20, Math.floor(rows * 0.05));
}

/** A column type decided from values, with the date format when the type is a date. */
export interface InferredType {
  type: ColumnType;
  /** The format the dates are written in, e.g. "yyyy-mm-dd" or "dd/mm/yyyy hh:mm". */
  dateFormat?: string;
}

/** Decides a column type from its distinct non-missing levels. */
export function inferLevelType(levels: readonly string[], rows: number): ColumnType {
  return inferLevelTypeDetailed(levels, rows).type;
}

/** Decides a column type from its distinct non-missing levels, and the date format for dates. */
export function inferLevelTypeDetailed(levels: readonly string[], rows: number): InferredType {
  if (levels.length === 0) return { type: 'category' };
  let integer = true;
  let number = true;
  let boolean = true;
  for (const raw of levels) {
    const value = raw.trim();
    if (boolean && Number.isNaN(parseBoolean(value))) boolean = false;
    if (number && !NUMBER_RE.test(value)) number = false;
    if (integer && !(INTEGER_RE.test(value) && Number.isSafeInteger(Number(value)))) integer = false;
    if (!boolean && !number && !integer) break;
  }
  if (boolean) return { type: 'boolean' };
  if (integer) return { type: 'integer' };
  if (number) return { type: 'number' };
  const dateFormat = detectDateFormat(levels);
  if (dateFormat !== null) return { type: 'date', dateFormat };
  return { type: levels.length <= categoryLimit(rows) ? 'category' : 'text' };
}

const DATE_FORMATS = new WeakMap<Column, string>();

/** The format a date column was read from, when it was built by this module's inference. */
export function dateFormatOf(column: Column): string | undefined {
  return DATE_FORMATS.get(column);
}

/** Remembers the format a date column was read from (for columns built outside `buildColumn`). */
export function setDateFormat(column: Column, format: string): void {
  DATE_FORMATS.set(column, format);
}

/**
 * Collects the cells of one column as dictionary codes, so that each distinct raw string is examined once.
 * Code -1 marks a missing cell.
 */
export class ColumnCollector {
  readonly name: string;
  codes: Int32Array;
  length = 0;
  readonly levels: string[] = [];
  readonly #index = new Map<string, number>();

  constructor(name: string, capacity = 1024) {
    this.name = name;
    this.codes = new Int32Array(Math.max(16, capacity));
  }

  /** Appends a raw text cell (missing tokens become -1); returns its code. */
  push(value: string): number {
    if (MISSING_TOKENS.has(value)) {
      this.pushCode(-1);
      return -1;
    }
    let code = this.#index.get(value);
    if (code === undefined) {
      code = this.levels.length;
      this.levels.push(value);
      this.#index.set(value, code);
    }
    this.pushCode(code);
    return code;
  }

  /** Appends a cell by a code this collector gave out before (or -1 for missing). */
  pushCode(code: number): void {
    if (this.length === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.length++] = code;
  }

  /** Drops the cells from row `length` on (their levels stay, unused). */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** Builds the typed column, inferring its type unless one is given; `dateFormat` forces how dates are read. */
  finish(type?: ColumnType, dateFormat?: string): Column {
    return buildOwnedColumn(this.name, trimmed(this.codes, this.length), this.levels, type, dateFormat);
  }
}

/**
 * Builds a typed column from dictionary codes into raw string levels. The type is inferred unless given;
 * dates are read in `dateFormat` when given, else in the format detected from the levels.
 */
export function buildColumn(name: string, codes: Int32Array, levels: string[], type?: ColumnType, dateFormat?: string): Column {
  const kind = type ?? inferLevelTypeDetailed(levels, codes.length).type;
  if (kind === 'category' || kind === 'text') return { name, type: kind, codes: codes.slice(), levels: levels.slice() };
  return buildOwnedColumn(name, codes, levels, type, dateFormat);
}

/**
 * The first `length` entries of a builder's array: the array itself, a view when the unused tail is small
 * (copying every column at the end of a large parse doubles its peak memory), else a trimmed copy.
 */
export function trimmed<T extends Int32Array | Float64Array>(array: T, length: number): T {
  if (length === array.length) return array;
  return (array.length - length <= length / 16 ? array.subarray(0, length) : array.slice(0, length)) as T;
}

/** Like `buildColumn`, but string columns keep `codes` and `levels` instead of copying them. */
function buildOwnedColumn(name: string, codes: Int32Array, levels: string[], type?: ColumnType, dateFormat?: string): Column {
  const rows = codes.length;
  const inferred = type === undefined ? inferLevelTypeDetailed(levels, rows) : { type };
  const kind = inferred.type;
  if (kind === 'category' || kind === 'text') return { name, type: kind, codes, levels };
  const format = kind === 'date' ? (dateFormat ?? inferred.dateFormat ?? detectDateFormat(levels) ?? 'yyyy-mm-dd') : '';
  const levelValues = new Float64Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const raw = (levels[i] as string).trim();
    levelValues[i] = kind === 'boolean' ? parseBoolean(raw) : kind === 'date' ? parseDateAs(raw, format) : parseNumber(raw);
  }
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const code = codes[r] as number;
    values[r] = code < 0 ? NaN : (levelValues[code] as number);
  }
  const column: Column = { name, type: kind, values };
  if (kind === 'date') DATE_FORMATS.set(column, format);
  return column;
}

/** Turns a JavaScript value from JSON into the raw string a collector takes ('' for missing). */
export function jsonValueToRaw(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Builds typed columns from rows of JavaScript values (strings from text files or values from JSON). */
export function inferColumns(names: readonly string[], rows: readonly (readonly unknown[])[]): Column[] {
  return names.map((name, c) => {
    const collector = new ColumnCollector(name, rows.length);
    for (const row of rows) collector.push(jsonValueToRaw(row[c]));
    return collector.finish();
  });
}
