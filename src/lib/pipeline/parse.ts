// Entry point for imported files: tells the format and encoding apart, parses to a table, applies the user's types.
import { decodeText, detectEncoding, normalizeEncoding, type EncodingGuess, type TextEncodingName } from './encoding.ts';
import { AppError } from './errors.ts';
import { detectBinary, detectSignature, extension, isArrowIpc, isParquet } from './file-kind.ts';
import { parseArrow } from './parse-arrow.ts';
import { parseCsvDetailed } from './parse-csv.ts';
import { parseJson, parseNdjson } from './parse-json.ts';
import { parseParquet } from './parse-parquet.ts';
import { collectDateFormats, type FileFormat, type ParseOptions, type ParseResult } from './parse-result.ts';
import { applyTypeOverrides } from './type-overrides.ts';
import type { DataTable } from './types.ts';

export { detectBinary };
export type { FileFormat, ParseOptions, ParseResult };

/** Bytes looked at to guess the encoding; the whole file is still checked when it is decoded. */
const GUESS_BYTES = 1 << 16;

function withOverrides(result: Omit<ParseResult, 'dateFormats'>, fileName: string, options: ParseOptions): ParseResult {
  let table = result.table;
  if (options.types || options.dateFormats) table = applyTypeOverrides(table, options.types ?? {}, fileName, options.dateFormats);
  return { ...result, table, dateFormats: collectDateFormats(table) };
}

function isParquetFile(bytes: Uint8Array, fileName: string): boolean {
  return isParquet(bytes) || extension(fileName) === 'parquet';
}

/** Decodes a text file in the chosen encoding, or in the guessed one (UTF-8 that fails later falls back to Windows-1252). */
function decode(bytes: Uint8Array, fileName: string, chosen?: string): { text: string; encoding: TextEncodingName; guess?: EncodingGuess } {
  if (chosen !== undefined) {
    const encoding = normalizeEncoding(chosen, fileName);
    return { text: decodeText(bytes, encoding), encoding };
  }
  let guess = detectEncoding(bytes.subarray(0, GUESS_BYTES));
  if (guess.encoding === 'utf-8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', guess };
    } catch {
      guess = detectEncoding(bytes);
    }
  }
  return { text: decodeText(bytes, guess.encoding), encoding: guess.encoding, guess };
}

function parseText(bytes: Uint8Array, fileName: string, options: ParseOptions): ParseResult {
  const signature = detectSignature(bytes);
  if (signature) throw new AppError('binary-file', `${fileName} looks like a binary file (${signature}), not text`, { file: fileName });
  const { text, encoding, guess } = decode(bytes, fileName, options.encoding);
  if (encoding === 'utf-8' || encoding === 'windows-1252') {
    const binary = detectBinary(bytes);
    if (binary) throw new AppError('binary-file', `${fileName} looks like a binary file (${binary}), not text`, { file: fileName });
  }
  const ext = extension(fileName);
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  const base = { encoding, encodingGuess: guess, notes: [] as string[] };
  const jsonOptions = { dateFormats: options.dateFormats };
  let format: FileFormat | null = null;
  if (ext === 'ndjson' || ext === 'jsonl') format = 'ndjson';
  else if (ext === 'json' || first === '[') format = 'json';
  else if (first === '{') format = /\n\s*\{/.test(text) ? 'ndjson' : 'json';
  if (format === 'ndjson') return withOverrides({ ...base, table: parseNdjson(text, fileName, jsonOptions), format }, fileName, options);
  if (format === 'json') return withOverrides({ ...base, table: parseJson(text, fileName, jsonOptions), format }, fileName, options);
  const csv = parseCsvDetailed(text, fileName, { delimiter: options.delimiter, decimal: options.decimal, types: options.types, dateFormats: options.dateFormats });
  const { table, notes, delimiter, decimal, guessed } = csv;
  const result = { ...base, table, notes, delimiter, decimal, guessed, format: delimiter === '\t' ? 'tsv' : 'csv' } as const;
  return withOverrides(result, fileName, options);
}

/**
 * Parses any file but Parquet synchronously, and says how it was read: format, encoding (guessed unless
 * chosen), delimiter, notes such as renamed columns, and the format of each date column.
 */
export function parseFileDetailedSync(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): ParseResult {
  if (bytes.length === 0) throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
  if (isParquetFile(bytes, fileName)) {
    throw new AppError('unsupported-format', `${fileName} is a Parquet file, which is read asynchronously: use parseFileAsync or parseFileDetailed`, {
      file: fileName,
    });
  }
  if (isArrowIpc(bytes, fileName)) {
    const { table, notes } = parseArrow(bytes, fileName);
    return withOverrides({ table, notes, format: 'arrow' }, fileName, options);
  }
  return parseText(bytes, fileName, options);
}

/**
 * Parses an imported file of any supported format (CSV, TSV, JSON, NDJSON, Parquet, Arrow IPC) and says how
 * it was read. Async because Parquet decoding is; every other format is parsed synchronously inside.
 * @example const { table, encoding, delimiter, notes } = await parseFileDetailed(bytes, 'sales.csv');
 */
export async function parseFileDetailed(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Promise<ParseResult> {
  if (bytes.length > 0 && isParquetFile(bytes, fileName)) {
    const { table, notes } = await parseParquet(bytes, fileName);
    return withOverrides({ table, notes, format: 'parquet' }, fileName, options);
  }
  return parseFileDetailedSync(bytes, fileName, options);
}

/** Parses an imported file of any supported format, Parquet included, to a table. */
export async function parseFileAsync(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): Promise<DataTable> {
  return (await parseFileDetailed(bytes, fileName, options)).table;
}

/**
 * Parses an imported file by content and extension: delimited text (CSV/TSV), JSON, NDJSON or Arrow IPC.
 * Parquet needs `parseFileAsync`; this throws 'unsupported-format' saying so.
 * @example parseFile(new TextEncoder().encode('a,b\n1,2\n'), 'small.csv')
 */
export function parseFile(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): DataTable {
  return parseFileDetailedSync(bytes, fileName, options).table;
}
