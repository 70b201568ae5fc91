// Streams a large CSV/TSV file in byte chunks (e.g. from File.stream()) into typed columns: the text is decoded
// incrementally and never held whole; records cut by a chunk boundary wait for the next chunk.
import { CsvParser, type CsvParts } from './csv-parser.ts';
import { createDecoder, detectEncoding, normalizeEncoding, type ChunkDecoder, type EncodingGuess, type TextEncodingName } from './encoding.ts';
import { AppError } from './errors.ts';
import { detectBinary } from './file-kind.ts';
import { csvSetup, type DecimalSeparator } from './parse-csv.ts';
import { applyTypeOverrides } from './type-overrides.ts';
import { collectDateFormats, type ParseOptions, type ParseResult } from './parse-result.ts';
import type { DataTable } from './types.ts';

/** Bytes read before the encoding and delimiter are guessed. */
const PREFIX_BYTES = 1 << 16;

/** Options of a CSV stream: the user's choices, and the file size when known (to size the columns once). */
export interface CsvStreamOptions extends ParseOptions {
  totalBytes?: number;
}

/** A CSV parse fed chunk by chunk. */
export interface CsvStream {
  /** Parses the next chunk of the file's bytes. */
  push(chunk: Uint8Array): void;
  /** Ends the file and returns the table. */
  finish(): DataTable;
  /** Ends the file and returns the table with how it was read (encoding, delimiter, notes, date formats). */
  finishDetailed(): ParseResult;
  /**
   * Ends the file and returns the parser's header, rows and column builders, unbuilt (the user's types are not
   * applied): to be joined with another part of the same file (score-read.ts). Instead of finish, not after it.
   */
  finishParts(): CsvParts;
  /** The encoding, delimiter and decimal separator, once the first 64 KB have been read (null before). */
  readonly setup: { encoding: TextEncodingName; delimiter: string; decimal: DecimalSeparator } | null;
  /** How the text was read, for a ParseResult built from parts (after finishParts): the guesses, the parser's notes, the characters not valid UTF-8. */
  readonly details: { encodingGuess: EncodingGuess | undefined; guessed: string[]; notes: string[]; replaced: number };
  /** Bytes pushed so far. */
  readonly bytesSeen: number;
}

const LF = 10;
/** Bytes held back waiting for a line feed before they are parsed anyway (a file without line feeds). */
const HOLD_LIMIT = 1 << 22;
/** Bytes decoded at a time where the text can be cut at line feeds (see decodeLines). */
const PIECE_CHARS = 1 << 16;

/** `head` followed by the first `length` bytes of `tail`, as a new array. */
function joinBytes(head: Uint8Array | null, tail: Uint8Array, length: number): Uint8Array {
  const joined = new Uint8Array((head?.length ?? 0) + length);
  if (head) joined.set(head);
  joined.set(tail.subarray(0, length), head?.length ?? 0);
  return joined;
}

/** The note about characters that were not valid UTF-8, if any were. */
export function replacedNote(replaced: number): string[] {
  if (replaced === 0) return [];
  return [`${replaced} character${replaced === 1 ? ' was' : 's were'} not valid UTF-8 and became \uFFFD; choose the windows-1252 encoding if the file came from Excel`];
}

function countReplacements(text: string): number {
  let n = 0;
  for (let k = text.indexOf('\uFFFD'); k >= 0; k = text.indexOf('\uFFFD', k + 1)) n++;
  return n;
}

/**
 * Starts a streaming parse of a delimited file. The encoding and delimiter are guessed from the first 64 KB
 * unless chosen; peak memory is the columns plus about one chunk of text.
 * @example const s = createCsvStream('big.csv'); for await (const c of file.stream()) s.push(c); s.finish();
 */
export function createCsvStream(fileName: string, options: CsvStreamOptions = {}): CsvStream {
  let bytesSeen = 0;
  let prefix: Uint8Array[] | null = [];
  let prefixLength = 0;
  let decoder: ChunkDecoder | null = null;
  let parser: CsvParser | null = null;
  let encoding: TextEncodingName = 'utf-8';
  let guess: EncodingGuess | undefined;
  let delimiter = options.delimiter ?? ',';
  let decimal: DecimalSeparator = options.decimal ?? '.';
  let guessed: string[] = [];
  let replaced = 0;
  let result: ParseResult | null = null;
  // Bytes after the last line feed pushed, when decoding is cut at line feeds (see `decodeLines`).
  let held: Uint8Array | null = null;
  let cutAtLines = false;

  const feed = (text: string, final: boolean) => {
    if (encoding === 'utf-8' && text.includes('\uFFFD')) replaced += countReplacements(text);
    if (final) parser?.end(text);
    else parser?.push(text);
  };

  const start = (final: boolean) => {
    const head = new Uint8Array(prefixLength);
    let at = 0;
    for (const part of prefix ?? []) {
      head.set(part, at);
      at += part.length;
    }
    prefix = null;
    if (options.encoding !== undefined) encoding = normalizeEncoding(options.encoding, fileName);
    else {
      guess = detectEncoding(head);
      encoding = guess.encoding;
    }
    if (encoding === 'utf-8' || encoding === 'windows-1252') {
      const binary = detectBinary(head);
      if (binary) throw new AppError('binary-file', `${fileName} looks like a binary file (${binary}), not text`, { file: fileName });
    }
    decoder = createDecoder(encoding);
    // In UTF-8 and windows-1252 a line feed byte is always a whole character, so the text can be decoded in
    // pieces that end at line feeds: the parser then gets flat strings instead of its carried-over record
    // glued to the next piece (a rope, which it reads a third slower). The text is the same either way.
    cutAtLines = !final && (encoding === 'utf-8' || encoding === 'windows-1252');
    const text = cutAtLines ? createDecoder(encoding).decode(head, { stream: true }) : decoder.decode(head, { stream: !final });
    if (text.trim() === '' && final) throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
    ({ delimiter, decimal, guessed } = csvSetup(text, fileName, options));
    let capacity: number | undefined;
    if (options.totalBytes !== undefined && head.length > 0) {
      const lines = Math.max(1, text.split('\n').length - 1);
      capacity = Math.ceil((options.totalBytes / head.length) * lines * 1.05) + 16;
    }
    parser = new CsvParser(fileName, { delimiter, decimal, capacity, types: options.types, dateFormats: options.dateFormats });
    if (cutAtLines) decodeLines(head);
    else feed(text, final);
  };

  /**
   * Decodes and parses the bytes up to the chunk's last line feed; the rest waits for the next chunk. The text goes
   * to the parser in pieces of about 64 KB that end at line feeds, each decoded from a view of the chunk: a string
   * that small is made in the young generation, whose pages are reused, where a 1 MB string and a 1 MB joined copy
   * of the bytes each fault in fresh pages (about 0.4 s each for 100 MB in Chromium on the bench machine).
   */
  const decodeLines = (chunk: Uint8Array) => {
    const last = chunk.lastIndexOf(LF);
    if (last < 0 && (held?.length ?? 0) + chunk.length <= HOLD_LIMIT) {
      held = joinBytes(held, chunk, chunk.length);
      return;
    }
    const cut = last < 0 ? chunk.length : last + 1;
    let at = 0;
    if (held) {
      // The record carried over from the last chunk, completed up to its line feed.
      const lf = chunk.indexOf(LF);
      at = lf < 0 || lf >= cut ? cut : lf + 1;
      const joined = joinBytes(held, chunk, at);
      held = null;
      feed((decoder as ChunkDecoder).decode(joined, { stream: true }), false);
    }
    while (at < cut) {
      let end = cut;
      if (end - at > PIECE_CHARS) {
        const lf = chunk.lastIndexOf(LF, at + PIECE_CHARS - 1);
        end = lf >= at ? lf + 1 : Math.min(cut, (chunk.indexOf(LF, at + PIECE_CHARS) + 1) || cut);
      }
      feed((decoder as ChunkDecoder).decode(chunk.subarray(at, end), { stream: true }), false);
      at = end;
    }
    // Copied: a stream may reuse the chunk's buffer.
    held = cut < chunk.length ? chunk.slice(cut) : null;
  };

  /** Feeds what is left: the prefix when the file was shorter than it, or the bytes held after the last line feed. */
  const endInput = () => {
    if (prefix) {
      if (prefixLength === 0) throw new AppError('empty-file', `${fileName} is empty`, { file: fileName });
      start(true);
    } else {
      const rest = held ?? undefined;
      held = null;
      feed((decoder as ChunkDecoder).decode(rest), true);
    }
  };

  const finishDetailed = (): ParseResult => {
    if (result) return result;
    endInput();
    const active = parser as CsvParser;
    const notes = [...active.notes, ...replacedNote(replaced)];
    let table = active.finish();
    if (options.types || options.dateFormats) table = applyTypeOverrides(table, options.types ?? {}, fileName, options.dateFormats);
    const format = delimiter === '\t' ? 'tsv' : 'csv';
    result = { table, format, encoding, encodingGuess: guess, delimiter, decimal, guessed, notes, dateFormats: collectDateFormats(table) };
    return result;
  };

  return {
    push(chunk: Uint8Array) {
      if (result) throw new AppError('bad-argument', `${fileName}: a chunk was pushed after the end of the file`, { file: fileName });
      bytesSeen += chunk.length;
      if (prefix) {
        // Copy (a stream may reuse the chunk's buffer); not slice(), which is a view for a Node Buffer.
        prefix.push(new Uint8Array(chunk));
        prefixLength += chunk.length;
        if (prefixLength >= PREFIX_BYTES) start(false);
        return;
      }
      if (cutAtLines) decodeLines(chunk);
      else feed((decoder as ChunkDecoder).decode(chunk, { stream: true }), false);
    },
    finish: () => finishDetailed().table,
    finishDetailed,
    finishParts() {
      if (result) throw new AppError('bad-argument', `${fileName}: the stream was already finished`, { file: fileName });
      endInput();
      return (parser as CsvParser).finishParts();
    },
    get setup() {
      return parser ? { encoding, delimiter, decimal } : null;
    },
    get bytesSeen() {
      return bytesSeen;
    },
    get details() {
      return { encodingGuess: guess, guessed, notes: [...(parser?.notes ?? [])], replaced };
    },
  };
}

/**
 * Parses a delimited file from a byte stream, e.g. `File.stream()` in a worker.
 * @example const { table } = await parseCsvStream(file.stream(), file.name, { totalBytes: file.size });
 */
export async function parseCsvStream(
  stream: ReadableStream<Uint8Array>,
  fileName: string,
  options: CsvStreamOptions = {},
): Promise<ParseResult> {
  const parse = createCsvStream(fileName, options);
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parse.push(value);
  }
  return parse.finishDetailed();
}
