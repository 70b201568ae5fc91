// Reads an import's bytes into a table: CSV/TSV streamed from Blob.stream() with progress and cancel, other formats whole.
import { blobPieces } from './blob-pieces.ts';
import { createCsvStream, type CsvStream } from './csv-stream.ts';
import { decodeText, detectEncoding, normalizeEncoding } from './encoding.ts';
import { AppError } from './errors.ts';
import { detectSignature, extension, isArrowIpc, isParquet } from './file-kind.ts';
import { parseFileDetailed, type ParseOptions, type ParseResult } from './parse.ts';
import { createSha256, type Sha256Stream } from './sha256-stream.ts';
import { sha256Blob, sha256File, WEBCRYPTO_HASH_MAX_BYTES } from './sha256.ts';
import { readSplitDetailed, type ReadElsewhere, type SplitOptions } from './score-read.ts';
import { yieldTask } from './yield-task.ts';

/** An import's bytes, kept so that the same file can be parsed again with other choices. */
export interface ImportSource {
  name: string;
  blob: Blob;
}

/** How a read reports and is stopped: `cancelled` is polled between chunks. */
export interface ReadControl {
  cancelled(): boolean;
  onBytes(read: number, total: number): void;
}

/** A parsed file and the SHA-256 of its bytes. */
export interface ReadResult {
  result: ParseResult;
  sha256: string;
}

/**
 * Hashes a Blob elsewhere (a Worker on the other core, which reads the file itself): its digest, null when that
 * failed (the file is then hashed here), and how to stop it. Null where it cannot start.
 */
export type HashElsewhere = (blob: Blob) => { digest: Promise<string | null>; stop(): void } | null;

/** How the bytes are hashed and parsed; tests lower the limit to take the streaming path on small files. */
export interface HashOptions {
  /** The file's digest when the same bytes were hashed before (a staged file parsed again with other choices): not hashed again. */
  knownSha256?: string;
  /**
   * Hashes the file on another core while this thread streams it through the parse in one pass; takes precedence
   * over `parseElsewhere`. The file is then never held whole here.
   */
  hashElsewhere?: HashElsewhere | null;
  /** Largest file read whole and hashed by WebCrypto (about 5× faster, but holds the bytes); larger ones stream through JS. */
  webCryptoMaxBytes?: number;
  /** Parses the second half of a large file read whole on another core (a helper Worker); null or absent: one pass here. */
  parseElsewhere?: ReadElsewhere | null;
  /** Where a large file is cut in two (tests cut small files). */
  split?: SplitOptions;
}

export { WEBCRYPTO_HASH_MAX_BYTES };

const HEAD_BYTES = 1 << 16;
/** Largest piece parsed between two cancel checks. */
const SLICE_BYTES = 1 << 20;
/** Work between two yields to the event loop, so that a cancel message gets through. */
const YIELD_EVERY_MS = 50;

/** Throws 'cancelled' naming the file when the user cancelled its import. */
export function checkCancelled(control: ReadControl, fileName: string): void {
  if (control.cancelled()) throw new AppError('cancelled', `The import of ${fileName} was cancelled`, { file: fileName });
}

/** True for delimited text that can be parsed while it streams; anything else (or unsure) is read whole. */
function streamsAsCsv(head: Uint8Array, fileName: string, encoding?: string): boolean {
  if (head.length === 0 || isParquet(head) || isArrowIpc(head, fileName) || detectSignature(head)) return false;
  if (['json', 'ndjson', 'jsonl', 'parquet', 'arrow', 'feather'].includes(extension(fileName))) return false;
  try {
    const chosen = encoding === undefined ? detectEncoding(head).encoding : normalizeEncoding(encoding, fileName);
    const first = /\S/.exec(decodeText(head, chosen))?.[0];
    return first !== undefined && first !== '[' && first !== '{';
  } catch {
    return false;
  }
}

async function readStreaming(source: ImportSource, options: ParseOptions, control: ReadControl, hashing: HashOptions): Promise<ReadResult> {
  const total = source.blob.size;
  const parse = createCsvStream(source.name, { ...options, totalBytes: total });
  if (hashing.knownSha256 !== undefined) return { result: await streamParse(source, parse, control, null), sha256: hashing.knownSha256 };
  const elsewhere = hashing.hashElsewhere?.(source.blob) ?? null;
  if (elsewhere) {
    // A failed digest is hashed here instead, and a parse error or cancel is what gets reported.
    elsewhere.digest.catch(() => undefined);
    try {
      const result = await streamParse(source, parse, control, null);
      const sha256 = (await elsewhere.digest.catch(() => null)) ?? (await sha256Blob(source.blob, hashing.webCryptoMaxBytes));
      return { result, sha256 };
    } finally {
      elsewhere.stop();
    }
  }
  // Up to the limit the file is read once, whole: WebCrypto hashes the bytes (off this thread) while they are
  // parsed a slice at a time; above it, the file streams and a running JS hash keeps memory at one piece.
  const whole = total <= (hashing.webCryptoMaxBytes ?? WEBCRYPTO_HASH_MAX_BYTES);
  if (whole) {
    const bytes = new Uint8Array(await source.blob.arrayBuffer());
    checkCancelled(control, source.name);
    const digest = sha256File(bytes);
    digest.catch(() => undefined); // a parse error or cancel is what gets reported, not an orphaned rejection
    // Its second half parsed on the other core meanwhile, when there is one (else, or when that fails, one pass here).
    const halves = await readSplitDetailed(bytes, source.name, options, { cancelled: control.cancelled, onBytes: (read, of) => control.onBytes(read, of) }, hashing.parseElsewhere ?? null, hashing.split);
    if (typeof halves !== 'string') return { result: halves, sha256: await digest };
    let lastYield = performance.now();
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      const end = Math.min(bytes.length, at + SLICE_BYTES);
      parse.push(bytes.subarray(at, end));
      control.onBytes(end, total);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldTask();
        lastYield = performance.now();
        checkCancelled(control, source.name);
      }
    }
    return { result: parse.finishDetailed(), sha256: await digest };
  }
  const hash = createSha256();
  const result = await streamParse(source, parse, control, hash);
  return { result, sha256: hash.hex() };
}

/** Streams a file through the parse (and the running hash, when given), with progress and cancel between pieces. */
async function streamParse(source: ImportSource, parse: CsvStream, control: ReadControl, hash: Sha256Stream | null): Promise<ParseResult> {
  const total = source.blob.size;
  let read = 0;
  let lastYield = performance.now();
  checkCancelled(control, source.name);
  // The parse and the hash keep nothing of a piece once they return: the next piece is read into its buffer.
  for await (const piece of blobPieces(source.blob, SLICE_BYTES)) {
    hash?.update(piece);
    parse.push(piece);
    read += piece.length;
    control.onBytes(read, total);
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await yieldTask();
      lastYield = performance.now();
    }
    checkCancelled(control, source.name);
  }
  return parse.finishDetailed();
}

/**
 * Parses an import. CSV/TSV (told apart by content and extension as `parseFileDetailed` does) is streamed in
 * chunks, cancellable between chunks and hashed alongside (WebCrypto up to `webCryptoMaxBytes`, else a
 * streamed JS hash: the same digest either way); JSON, NDJSON, Parquet and Arrow are read whole.
 */
export async function readSource(
  source: ImportSource,
  options: ParseOptions,
  control: ReadControl,
  hashing: HashOptions = {},
): Promise<ReadResult> {
  const head = new Uint8Array(await source.blob.slice(0, HEAD_BYTES).arrayBuffer());
  checkCancelled(control, source.name);
  if (streamsAsCsv(head, source.name, options.encoding)) return readStreaming(source, options, control, hashing);
  const bytes = new Uint8Array(await source.blob.arrayBuffer());
  checkCancelled(control, source.name);
  const [sha256, result] = await Promise.all([hashing.knownSha256 ?? sha256File(bytes), parseFileDetailed(bytes, source.name, options)]);
  return { result, sha256 };
}
