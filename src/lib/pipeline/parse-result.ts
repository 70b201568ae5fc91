// What a parse reports besides the table: format, encoding, delimiter, decimal separator, notes and date formats; and its options.
import type { EncodingGuess, TextEncodingName } from './encoding.ts';
import { dateFormatOf } from './infer.ts';
import type { ColumnType, DataTable } from './types.ts';

/** The file formats Millrace reads. */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'parquet' | 'arrow';

/** Choices the user can make about how a file is read; each one overrides a guess. */
export interface ParseOptions {
  /** Text encoding: utf-8, utf-16le, utf-16be, windows-1252 (latin1 reads as windows-1252). */
  encoding?: string;
  /** Field delimiter of delimited text. */
  delimiter?: string;
  /** Decimal separator of numbers in delimited text: '.' or ','. */
  decimal?: '.' | ',';
  /** Column types, by column name; a value that cannot be read as its type is an error naming it. */
  types?: Record<string, ColumnType>;
  /** Date formats, by column name, as `detectDateFormat` names them (e.g. "mm/dd/yyyy"). */
  dateFormats?: Record<string, string>;
}

/** A parsed file and how it was read. */
export interface ParseResult {
  table: DataTable;
  format: FileFormat;
  /** Text formats: the encoding used. */
  encoding?: TextEncodingName;
  /** Text formats without a chosen encoding: the guess and why. */
  encodingGuess?: EncodingGuess;
  /** Delimited text: the delimiter used. */
  delimiter?: string;
  /** Delimited text: the decimal separator numbers were read with. */
  decimal?: '.' | ',';
  /** Delimited text: guesses about how it is written that a person should confirm (a semicolon delimiter, a decimal comma). */
  guessed?: string[];
  /** What was changed or noticed on the way, in the user's words. */
  notes: string[];
  /** Date columns and the format their values were written in. */
  dateFormats: Record<string, string>;
}

/** The date formats of a table's date columns, as inference recorded them. */
export function collectDateFormats(table: DataTable): Record<string, string> {
  const formats: Record<string, string> = {};
  for (const column of table.columns) {
    const format = column.type === 'date' ? dateFormatOf(column) : undefined;
    if (format !== undefined) formats[column.name] = format;
  }
  return formats;
}
