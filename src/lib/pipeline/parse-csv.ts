// Delimited text (CSV, TSV, ; and | separated): delimiter sniffing and whole-text parsing through CsvParser.
import { AppError } from './errors.ts';
import { CsvParser, cleanHeader } from './csv-parser.ts';
import { applyTypeOverrides } from './type-overrides.ts';
import type { ColumnType, DataTable } from './types.ts';

export { cleanHeader };

const CANDIDATES = [',', ';', '\t', '|'];

export interface CsvOptions {
  /** Field delimiter; sniffed from the first lines when absent. */
  delimiter?: string;
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
export interface CsvResult {
  table: DataTable;
  delimiter: string;
  notes: string[];
}

/** Like `parseCsv`, and also says which delimiter it used and what it renamed. */
export function parseCsvDetailed(text: string, fileName: string, options: CsvOptions = {}): CsvResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  const delimiter = options.delimiter ?? sniffDelimiter(text, fileName);
  const parser = new CsvParser(fileName, { ...options, delimiter, capacity: estimateRows(text) });
  parser.end(text);
  let table = parser.finish();
  if (options.types || options.dateFormats) table = applyTypeOverrides(table, options.types ?? {}, fileName, options.dateFormats);
  return { table, delimiter, notes: parser.notes };
}

/**
 * Parses delimited text into a typed table. The first record is the header. Numeric columns are read
 * straight from the text; a column that turns out to hold text is rebuilt as text from what was written.
 * @example parseCsv('a,b\n1,x\n', 'small.csv') // 2 columns: a integer, b category
 */
export function parseCsv(text: string, fileName: string, options: CsvOptions = {}): DataTable {
  return parseCsvDetailed(text, fileName, options).table;
}
