// Delimited text (CSV, TSV, ; and | separated): delimiter and decimal separator sniffing, and whole-text parsing through CsvParser.
import { AppError } from './errors.ts';
import { CsvParser, cleanHeader } from './csv-parser.ts';
import { applyTypeOverrides } from './type-overrides.ts';
import type { ColumnType, DataTable } from './types.ts';

export { cleanHeader };

const CANDIDATES = [',', ';', '\t', '|'];

export interface CsvOptions {
  /** Field delimiter; sniffed from the first lines when absent. */
  delimiter?: string;
  /** Decimal separator of numbers; sniffed with the delimiter when absent (a comma only when the delimiter is not one). */
  decimal?: DecimalSeparator;
  /** Column types the user chose; 'category' and 'text' columns keep the text exactly as written. */
  types?: Readonly<Record<string, ColumnType>>;
  /** Date formats the user chose, by column name (e.g. "mm/dd/yyyy"); a value that does not fit is an error. */
  dateFormats?: Readonly<Record<string, string>>;
}

/** Picks the delimiter among , ; tab | that splits the first lines into the most, and most consistent, fields. */
export function sniffDelimiter(text: string, fileName = ''): string {
  if (/\.tsv$|\.tab$/i.test(fileName)) return '\t';
  const lines = firstLines(text, 20);
  let best = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const counts = lines.map((line) => countOutsideQuotes(line, candidate));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((n) => n === first).length / counts.length;
    const score = first * consistent * consistent;
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/** The character between a number's whole and fractional digits: '.' (3.5) or ',' (3,5). */
export type DecimalSeparator = '.' | ',';

const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+$/;
const DECIMAL_POINT_RE = /^[+-]?\d*\.\d+$/;

/**
 * Cells of the first 50 records after the header written with a decimal comma (3,5), when the delimiter is not
 * a comma and they outnumber those written with a decimal point (3.5), else 0; and an example of one.
 */
function decimalCounts(text: string, delimiter: string): { comma: number; example: string } {
  if (delimiter === ',') return { comma: 0, example: '' };
  let comma = 0;
  let point = 0;
  let example = '';
  for (const line of firstLines(text, 51).slice(1)) {
    for (const raw of line.split(delimiter)) {
      const cell = raw.trim().replace(/^"(.*)"$/, '$1');
      if (DECIMAL_COMMA_RE.test(cell)) {
        comma++;
        example ||= cell;
      } else if (DECIMAL_POINT_RE.test(cell)) point++;
    }
  }
  return comma > point ? { comma, example } : { comma: 0, example: '' };
}

/** How a delimited file is written: its delimiter and decimal separator, each chosen or guessed, and what to confirm. */
export interface CsvSetup {
  delimiter: string;
  decimal: DecimalSeparator;
  /** Guesses a person should confirm (a delimiter other than the comma or tab, a decimal comma), in their words. */
  guessed: string[];
}

const DELIMITER_NAMES: Record<string, string> = { ';': 'semicolon (;)', '|': 'pipe (|)', '\t': 'tab', ',': 'comma (,)' };

/** The delimiter and decimal separator of delimited text (the user's, else sniffed from its first lines), and what was guessed. */
export function csvSetup(text: string, fileName: string, options: Pick<CsvOptions, 'delimiter' | 'decimal'> = {}): CsvSetup {
  const delimiter = options.delimiter ?? sniffDelimiter(text, fileName);
  const guessed: string[] = [];
  if (options.delimiter === undefined && delimiter !== ',' && delimiter !== '\t') {
    guessed.push(`Delimiter guessed: ${DELIMITER_NAMES[delimiter] ?? delimiter}, from the first lines`);
  }
  let decimal = options.decimal;
  if (decimal === undefined) {
    const counts = decimalCounts(text, delimiter);
    decimal = counts.comma > 0 ? ',' : '.';
    if (decimal === ',') guessed.push(`Decimal separator guessed: comma, from numbers such as ${counts.example} in the first lines`);
  }
  return { delimiter, decimal, guessed };
}

function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.length > 0) lines.push(line);
    start = end + 1;
  }
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false;
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === delimiter) n++;
  }
  return n;
}

function estimateRows(text: string): number {
  const sample = text.slice(0, 65536);
  const lines = Math.max(1, sample.split('\n').length - 1);
  return Math.ceil((text.length / sample.length) * lines * 1.05) + 16;
}

/** A parsed delimited file with the delimiter used and what was changed on the way (renamed columns). */
export interface CsvResult extends CsvSetup {
  table: DataTable;
  notes: string[];
}

/** Like `parseCsv`, and also says which delimiter and decimal separator it used, what it guessed and what it renamed. */
export function parseCsvDetailed(text: string, fileName: string, options: CsvOptions = {}): CsvResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  const setup = csvSetup(text, fileName, options);
  const parser = new CsvParser(fileName, { ...options, delimiter: setup.delimiter, decimal: setup.decimal, capacity: estimateRows(text) });
  parser.end(text);
  let table = parser.finish();
  if (options.types || options.dateFormats) table = applyTypeOverrides(table, options.types ?? {}, fileName, options.dateFormats);
  return { ...setup, table, notes: parser.notes };
}

/**
 * Parses delimited text into a typed table. The first record is the header. Numeric columns are read
 * straight from the text; a column that turns out to hold text is rebuilt as text from what was written.
 * @example parseCsv('a,b\n1,x\n', 'small.csv') // 2 columns: a integer, b category
 */
export function parseCsv(text: string, fileName: string, options: CsvOptions = {}): DataTable {
  return parseCsvDetailed(text, fileName, options).table;
}
