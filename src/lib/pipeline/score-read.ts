// Reads a file to score: delimited text streamed through the import's CSV parser in 1 MiB pieces (no whole decoded text; cancel between pieces), other formats whole; a large file in two parts, one parsed elsewhere (another core), joined as one parse.
import { joinSinks, sinkState, type SinkState } from './column-sink.ts';
import { yieldTask } from './yield-task.ts';
import { finishColumns } from './csv-parser.ts';
import { createCsvStream, replacedNote, type CsvStream, type CsvStreamOptions } from './csv-stream.ts';
import { createDecoder, detectEncoding, normalizeEncoding, type EncodingGuess, type TextEncodingName } from './encoding.ts';
import { collectDateFormats, type ParseResult } from './parse-result.ts';
import { AppError } from './errors.ts';
import { csvSetup } from './parse-csv.ts';
import { applyTypeOverrides } from './type-overrides.ts';
import { detectSignature, extension, isArrowIpc, isParquet } from './file-kind.ts';
import { parseFileDetailed, type ParseOptions } from './parse.ts';
import type { DataTable } from './types.ts';

const PIECE_BYTES = 1 << 20;
/** Bytes the CSV stream reads before it guesses the encoding and delimiter. */
const PREFIX_BYTES = 1 << 16;

/** True for text that is not JSON: what the import streams as CSV/TSV. */
export function looksDelimited(head: Uint8Array, fileName: string): boolean {
  if (head.length === 0 || isParquet(head) || isArrowIpc(head, fileName) || detectSignature(head)) return false;
  if (['json', 'ndjson', 'jsonl', 'parquet', 'arrow', 'feather'].includes(extension(fileName))) return false;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf) continue;
    return b !== 0x5b && b !== 0x7b;
  }
  return false;
}

export interface ReadControl {
  /** Polled between pieces; true stops the read with AppError 'cancelled'. */
  cancelled?: () => boolean;
  onBytes?: (read: number, total: number) => void;
  /** Awaited every 16 pieces (a worker lets a cancel message in). */
  pause?: () => Promise<void>;
  /** Times the parts of a read in two parts (this part, the wait for the other, the join), for the bench's breakdown. */
  time?: <T>(part: string, work: () => T | Promise<T>) => Promise<T>;
  /**
   * Receives, after a read in two parts, the buffers of the parts' cells that the table does not use (they were
   * copied into its columns): memory already paged in, for whoever writes a lot next (see SpareBytes).
   */
  onSpare?: (buffers: ArrayBuffer[]) => void;
}

/** The buffers of the parts' cell arrays that no column of `table` is a view of. */
function unusedBuffers(table: DataTable, parts: readonly CsvPart[]): ArrayBuffer[] {
  const used = new Set<ArrayBufferLike>();
  for (const column of table.columns) used.add(('codes' in column ? column.codes : column.values).buffer);
  const spare = new Set<ArrayBuffer>();
  for (const part of parts) {
    for (const column of part.columns) {
      const arrays = column.kind === 'text' ? [column.codes] : [column.values, column.decimals];
      for (const array of arrays) if (array && !used.has(array.buffer) && array.buffer instanceof ArrayBuffer) spare.add(array.buffer);
    }
  }
  return [...spare];
}

/** The table of a file's bytes, parsed as the import parses it. */
export async function readTableBytes(bytes: Uint8Array, fileName: string, options: ParseOptions = {}, control: ReadControl = {}): Promise<DataTable> {
  if (!looksDelimited(bytes.subarray(0, 1 << 16), fileName)) return (await parseFileDetailed(bytes, fileName, options)).table;
  const stream = createCsvStream(fileName, { ...options, totalBytes: bytes.length });
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
    if (control.cancelled?.()) throw new AppError('cancelled', `Reading ${fileName} was cancelled`, { file: fileName });
    const end = Math.min(bytes.length, at + PIECE_BYTES);
    stream.push(bytes.subarray(at, end));
    control.onBytes?.(end, bytes.length);
    if (control.pause && (at / PIECE_BYTES) % 16 === 15) await control.pause();
  }
  return stream.finish();
}

/** A part of a delimited file parsed elsewhere: its header, its rows and its columns' cells, not built. */
export interface CsvPart {
  header: readonly string[];
  rows: number;
  columns: SinkState[];
  /** Characters of the part that were not valid UTF-8 (they became U+FFFD). */
  replaced?: number;
}

/**
 * Reads a part of a file (a header, then whole records), given in pieces, in the encoding and delimiter given:
 * the part another core parses. `options.totalBytes`, the part's size, sizes its columns once.
 */
export function readCsvPart(pieces: Iterable<Uint8Array>, fileName: string, options: CsvStreamOptions): CsvPart {
  const stream = createCsvStream(fileName, options);
  for (const bytes of pieces) pushBytes(stream, bytes);
  return finishPart(stream);
}

/** Pushes bytes to a CSV stream PIECE_BYTES at a time. */
export function pushBytes(stream: CsvStream, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += PIECE_BYTES) stream.push(bytes.subarray(at, Math.min(bytes.length, at + PIECE_BYTES)));
}

/** Ends a stream fed a part of a file: its header, rows and unbuilt columns (throws what the parse found wrong). */
export function finishPart(stream: CsvStream): CsvPart {
  const parts = stream.finishParts();
  return { header: parts.header, rows: parts.rows, columns: parts.sinks.map(sinkState), replaced: stream.details.replaced };
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Counts the quote bytes of a file from its start, each looked for once. */
function quoteCounter(bytes: Uint8Array): (to: number) => number {
  let next = bytes.indexOf(QUOTE);
  let count = 0;
  return (to) => {
    while (next >= 0 && next < to) {
      count++;
      next = bytes.indexOf(QUOTE, next + 1);
    }
    return count;
  };
}

/**
 * The share of a file parsed in this thread when it is cut in two. This thread also copies the other part, piece by
 * piece between its own pieces, and the helper's code starts cold in a fresh Worker, but on the score-file bench
 * neither 0.47 nor 0.53 beat a half: which thread waited for the other (0–0.35 s) changed from run to run.
 */
export const FIRST_PART_FRACTION = 0.5;

/** Where to cut a file in two: below `minBytes` never; `fraction` of the way in; how far past it a cut may be looked for. */
export interface SplitOptions {
  minBytes?: number;
  fraction?: number;
  searchBytes?: number;
}

/**
 * Where a delimited file can be cut in two: `headerEnd`, the end of its header line, and `split`, just after a
 * line feed at or past `fraction` of the file with an even number of quote bytes before it and a non-blank line on
 * either side (a one-column file's blank line is a missing value only when a record follows). Null when there is
 * none. The quote count is a guess (a quote inside an unquoted field counts too): the first part's parse checks it,
 * as a cut inside a quoted field leaves that part with a quote never closed.
 */
export function splitPoint(bytes: Uint8Array, options: SplitOptions = {}): { headerEnd: number; split: number } | null {
  const n = bytes.length;
  if (n < (options.minBytes ?? 4 << 20)) return null;
  const at = Math.floor(n * (options.fraction ?? FIRST_PART_FRACTION));
  const limit = Math.min(n - 1, at + (options.searchBytes ?? 4 << 20));
  // Quotes are counted only up to the last place a cut may be (a file without any is not read to its end).
  const quotesBefore = quoteCounter(bytes.subarray(0, limit + 1));
  let pos = 0;
  let headerEnd = -1;
  while (headerEnd < 0) {
    const lf = bytes.indexOf(LF, pos);
    if (lf < 0 || lf >= limit) return null;
    pos = lf + 1;
    if (quotesBefore(lf) % 2 === 0) headerEnd = pos;
  }
  pos = Math.max(pos, at);
  for (;;) {
    const lf = bytes.indexOf(LF, pos);
    if (lf < 0 || lf >= limit) return null;
    pos = lf + 1;
    if (quotesBefore(lf) % 2 !== 0) continue;
    const before = bytes[lf - 1] === CR ? lf - 2 : lf - 1;
    const after = bytes[lf + 1] as number;
    if (before >= headerEnd && bytes[before] !== LF && bytes[before] !== CR && after !== LF && after !== CR) return { headerEnd, split: lf + 1 };
  }
}

/**
 * Parses part of a file elsewhere (a helper Worker): its bytes (a header, then whole records) in the encoding and
 * delimiter given, as pieces copied on this thread while they are iterated. An implementation hands each piece over
 * as it comes and lets this thread's task end before it takes the next: the piece leaves, and this thread's own
 * parse goes on between copies, so that the other thread parses the first piece while this one makes the next.
 */
export type ReadElsewhere = (pieces: Iterable<Uint8Array>, options: CsvStreamOptions) => Promise<CsvPart | null>;

/** Bytes per piece of the part copied for the other thread: a whole number of output buffers (SpareBytes takes 4 MiB at a time). */
const COPY_BYTES = 8 << 20;

/** The header then bytes [split, end) as fresh copies of about COPY_BYTES, made one at a time as they are iterated. */
function* partCopies(bytes: Uint8Array, headerEnd: number, split: number): Generator<Uint8Array> {
  const firstEnd = Math.min(bytes.length, split + COPY_BYTES);
  const first = new Uint8Array(headerEnd + firstEnd - split);
  first.set(bytes.subarray(0, headerEnd));
  first.set(bytes.subarray(split, firstEnd), headerEnd);
  yield first;
  for (let at = firstEnd; at < bytes.length; at += COPY_BYTES) yield new Uint8Array(bytes.subarray(at, Math.min(bytes.length, at + COPY_BYTES)));
}

/** The columns of two consecutive parts of one file, built as one parse of the whole file builds them. */
export function joinParts(fileName: string, first: CsvPart, second: CsvPart, options: ParseOptions): DataTable {
  const { header } = first;
  if (second.header.length !== header.length || second.header.some((name, c) => name !== header[c])) {
    throw new AppError('bad-argument', `${fileName}: the parts' headers differ`, { file: fileName });
  }
  const sinks = first.columns.map((column, c) => joinSinks(column, second.columns[c] as SinkState));
  let table = finishColumns({ header, rows: first.rows + second.rows, sinks }, options);
  if (options.types || options.dateFormats) table = applyTypeOverrides(table, options.types ?? {}, fileName, options.dateFormats);
  return table;
}

/**
 * The table of a file's bytes, as readTableBytes reads it, a large delimited file in two parts (see
 * readSplitDetailed); a file that cannot be cut safely, or whose parts fail, is read again in one pass (which
 * reports any error in the file as readTableBytes does).
 */
export async function readTableSplit(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions,
  control: ReadControl,
  elsewhere: ReadElsewhere | null,
  split: SplitOptions = {},
): Promise<DataTable> {
  const read = await readSplitDetailed(bytes, fileName, options, control, elsewhere, split);
  if (read === 'whole') return readTableBytes(bytes, fileName, options, control);
  if (read !== 'failed') return read.table;
  const time = control.time ?? (<T>(_part: string, work: () => T | Promise<T>) => Promise.resolve(work()));
  return time('parse: again in one pass', () => readTableBytes(bytes, fileName, options, control));
}

/**
 * A large delimited file read in two parts: the second half (after the header line) is handed to `elsewhere`
 * while this thread parses the first, then the parts' columns are joined (types, levels in order, date formats and
 * missing cells as one parse decides them) into the ParseResult one pass would give. 'whole': the file is not cut
 * (small, not delimited, no safe cut, an encoding whose line feed byte may be part of a character, or no
 * `elsewhere`); 'failed': a part failed, or the first part showed the cut to be inside a quoted field. Either way
 * the caller reads the file in one pass. A cancel throws.
 */
export async function readSplitDetailed(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions,
  control: ReadControl,
  elsewhere: ReadElsewhere | null,
  split: SplitOptions = {},
): Promise<ParseResult | 'whole' | 'failed'> {
  const cut = elsewhere && looksDelimited(bytes.subarray(0, 1 << 16), fileName) ? splitPoint(bytes, split) : null;
  const setup = cut ? streamSetup(bytes, fileName, options) : null;
  if (!cut || !setup) return 'whole';
  const partOptions = { ...options, encoding: setup.encoding, delimiter: setup.delimiter, decimal: setup.decimal };
  const secondBytes = cut.headerEnd + bytes.length - cut.split;
  const time = control.time ?? (<T>(_part: string, work: () => T | Promise<T>) => Promise.resolve(work()));
  let second: Promise<CsvPart | null> | null = null;
  try {
    second = (elsewhere as ReadElsewhere)(partCopies(bytes, cut.headerEnd, cut.split), { ...partOptions, totalBytes: secondBytes });
    second.catch(() => null);
    const head = bytes.subarray(0, cut.split);
    // Columns sized for the whole file, so that the other part's cells are appended in place.
    const stream = createCsvStream(fileName, { ...partOptions, totalBytes: bytes.length });
    const first = await time('parse: first part', async (): Promise<CsvPart> => {
      for (let at = 0; at < head.length; at += PIECE_BYTES) {
        if (control.cancelled?.()) throw new AppError('cancelled', `Reading ${fileName} was cancelled`, { file: fileName });
        const end = Math.min(head.length, at + PIECE_BYTES);
        stream.push(head.subarray(at, end));
        control.onBytes?.(end, head.length);
        if (control.pause && (at / PIECE_BYTES) % 16 === 15) await control.pause();
        // A task boundary per piece: a nested Worker starts (and fetches its script) through this thread's event loop.
        else await yieldTask();
      }
      const parts = stream.finishParts();
      return { header: parts.header, rows: parts.rows, columns: parts.sinks.map(sinkState) };
    });
    const other = await time('parse: wait', () => second as Promise<CsvPart | null>);
    if (!other) return 'failed';
    const table = await time('parse: join', () => joinParts(fileName, first, other, options));
    control.onSpare?.(unusedBuffers(table, [first, other]));
    const { notes, replaced } = stream.details;
    const { encodingGuess, guessed } = setup;
    return {
      table,
      format: setup.delimiter === '\t' ? 'tsv' : 'csv',
      encoding: setup.encoding as TextEncodingName,
      ...(encodingGuess ? { encodingGuess } : {}),
      delimiter: setup.delimiter,
      decimal: setup.decimal,
      guessed,
      notes: [...notes, ...replacedNote(replaced + (other.replaced ?? 0))],
      dateFormats: collectDateFormats(table),
    };
  } catch (error) {
    if (error instanceof AppError && error.code === 'cancelled') throw error;
    return 'failed';
  }
}


/**
 * The encoding, delimiter and decimal separator the CSV stream would choose for the whole file (it reads the first
 * piece pushed), with its guesses, or null for an encoding whose line feed byte may be part of another character.
 */
function streamSetup(
  bytes: Uint8Array,
  fileName: string,
  options: ParseOptions,
): { encoding: string; delimiter: string; decimal: '.' | ','; encodingGuess: EncodingGuess | undefined; guessed: string[] } | null {
  const head = bytes.subarray(0, Math.min(bytes.length, PIECE_BYTES));
  let encoding: string;
  let encodingGuess: EncodingGuess | undefined;
  try {
    if (options.encoding !== undefined) encoding = normalizeEncoding(options.encoding, fileName);
    else ({ encoding } = encodingGuess = detectEncoding(head));
  } catch {
    return null;
  }
  if (encoding !== 'utf-8' && encoding !== 'windows-1252') return null;
  const final = head.length < PREFIX_BYTES;
  const { delimiter, decimal, guessed } = csvSetup(createDecoder(encoding).decode(head, { stream: !final }), fileName, options);
  return { encoding, delimiter, decimal, encodingGuess, guessed };
}
