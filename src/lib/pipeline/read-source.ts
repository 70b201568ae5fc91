// Reads an import's bytes into a table: CSV/TSV streamed from Blob.stream() with progress and cancel, other formats whole.
import { createCsvStream, type CsvStream } from './csv-stream.ts';
import { decodeText, detectEncoding, normalizeEncoding } from './encoding.ts';
import { AppError } from './errors.ts';
import { detectSignature, extension, isArrowIpc, isParquet } from './file-kind.ts';
import { parseFileDetailed, type ParseOptions, type ParseResult } from './parse.ts';
import { createSha256, type Sha256Stream } from './sha256-stream.ts';
import { sha256Blob, sha256File, WEBCRYPTO_HASH_MAX_BYTES } from './sha256.ts';
import { readSplitDetailed, type ReadElsewhere, type SplitOptions } from './score-read.ts';

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

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
        await nextTask();
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

/** A byte-stream reader of the Blob, or null where its stream is not a byte stream. */
function byobReader(blob: Blob): ReadableStreamBYOBReader | null {
  try {
    return blob.stream().getReader({ mode: 'byob' });
  } catch {
    return null;
  }
}

/**
 * Streams a file through the parse (and the running hash, when given), with progress and cancel between pieces.
 * Where the Blob's stream is a byte stream, every piece is read into one reused buffer: the default reader makes a
 * new buffer per piece, whose fresh pages cost more than the read (a 112 MB File in a Chromium worker: 45–58 ms
 * into one 1 MiB buffer against 345–444 ms piece by piece).
 */
async function streamParse(source: ImportSource, parse: CsvStream, control: ReadControl, hash: Sha256Stream | null): Promise<ParseResult> {
  const total = source.blob.size;
  let read = 0;
  let lastYield = performance.now();
  const feed = async (piece: Uint8Array) => {
    hash?.update(piece);
    parse.push(piece);
    read += piece.length;
    control.onBytes(read, total);
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await nextTask();
      lastYield = performance.now();
      checkCancelled(control, source.name);
    }
  };
  const bytes = byobReader(source.blob);
  if (bytes) {
    // Two buffers: the next piece is read into one while the other is parsed. A read moves its buffer into the
    // view it returns; the parse and the hash keep nothing of a piece once they return, so it is read into again.
    let spare = new ArrayBuffer(SLICE_BYTES);
    let pending = bytes.read(new Uint8Array(new ArrayBuffer(SLICE_BYTES)));
    try {
      for (;;) {
        checkCancelled(control, source.name);
        const { done, value } = await pending;
        if (done || !value) break;
        pending = bytes.read(new Uint8Array(spare));
        await feed(value);
        spare = value.buffer as ArrayBuffer;
      }
    } catch (error) {
      pending.catch(() => undefined);
      void bytes.cancel().catch(() => undefined);
      throw error;
    }
    return parse.finishDetailed();
  }
  const reader = source.blob.stream().getReader();
  // Streams may hand over tiny pieces (Node's Blob: one per part) or the whole file at once (Node, an
  // ArrayBuffer): small ones are gathered and large ones cut, so that work per piece stays cheap and cancel gets in.
  const gathered = new Uint8Array(SLICE_BYTES);
  let gatheredLength = 0;
  const flush = async () => {
    if (gatheredLength === 0) return;
    // A view: the parse and the hash keep nothing of a piece once they return.
    await feed(gathered.subarray(0, gatheredLength));
    gatheredLength = 0;
  };
  try {
    for (;;) {
      checkCancelled(control, source.name);
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length < SLICE_BYTES / 4) {
        if (gatheredLength + value.length > SLICE_BYTES) await flush();
        gathered.set(value, gatheredLength);
        gatheredLength += value.length;
        continue;
      }
      await flush();
      for (let at = 0; at < value.length; at += SLICE_BYTES) await feed(value.subarray(at, Math.min(value.length, at + SLICE_BYTES)));
    }
    await flush();
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
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
