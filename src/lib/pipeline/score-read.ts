// Reads a file to score: delimited text streamed through the import's CSV parser in 1 MiB pieces (no whole decoded text; cancel between pieces), other formats whole.
import { createCsvStream } from './csv-stream.ts';
import { AppError } from './errors.ts';
import { detectSignature, extension, isArrowIpc, isParquet } from './file-kind.ts';
import { parseFileDetailed, type ParseOptions } from './parse.ts';
import type { DataTable } from './types.ts';

const PIECE_BYTES = 1 << 20;

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
