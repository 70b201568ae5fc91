// A stored version's columns decoded from its chunk Blobs: all or some of them, so that two threads can each decode a share.
import { chunkDecoder } from '../pipeline/arrow-codec.ts';
import type { Column, ColumnSchema } from '../pipeline/types.ts';
import { ChunkBuffers } from './chunk-blob.ts';

/** Some columns of a stored version to decode: its chunk Blobs in row order, its schema and row count. */
export interface ColumnsJob {
  blobs: Blob[];
  schema: ColumnSchema[];
  rows: number;
  /** Indexes into `schema`, in the order the columns are wanted. */
  columns: number[];
}

/**
 * Decodes a job's columns in another thread: the columns in the job's order, or null when that thread could not
 * (the caller then decodes them itself). Errors in the stored data reject.
 */
export type DecodeElsewhere = (job: ColumnsJob) => Promise<Column[] | null>;

/** Chunks being read at once (each holds a buffer of the pool until it is decoded). */
const READ_AHEAD = 2;

/**
 * The job's columns, read a few chunks ahead (off this thread) while earlier chunks are decoded straight into the
 * columns: the chunks' bytes are never all held, reading overlaps decoding, and the few buffers are reused.
 */
export async function decodeColumns(job: ColumnsJob): Promise<Column[]> {
  const decoder = chunkDecoder(job.schema, job.rows, job.columns);
  const buffers = new ChunkBuffers();
  const read = (blob: Blob) => {
    const bytes = buffers.read(blob);
    bytes.catch(() => undefined); // a failed read ahead is reported when its turn comes, not as an orphaned rejection
    return bytes;
  };
  const reading: (Promise<Uint8Array> | undefined)[] = job.blobs.slice(0, READ_AHEAD).map(read);
  for (let index = 0; index < job.blobs.length; index++) {
    const bytes = await (reading[index] as Promise<Uint8Array>);
    reading[index] = undefined;
    // The decoder copies everything out of the chunk: its buffer takes the next read.
    decoder.add(bytes);
    buffers.release(bytes);
    const next = job.blobs[index + READ_AHEAD];
    if (next) reading.push(read(next));
  }
  return decoder.finish().columns;
}

/** Below this many cells a version is decoded in one thread: a second one's messages would cost more than they save. */
export const SHARED_DECODE_MIN_CELLS = 1 << 20;

/**
 * The columns to decode here and elsewhere: about half the decoded bytes each (8 a number, 4 a string code), the
 * first columns here. Nothing elsewhere below SHARED_DECODE_MIN_CELLS or with one column.
 */
export function shareColumns(schema: ColumnSchema[], rows: number): { here: number[]; elsewhere: number[] } {
  const all = schema.map((_, c) => c);
  if (schema.length < 2 || schema.length * rows < SHARED_DECODE_MIN_CELLS) return { here: all, elsewhere: [] };
  const width = (c: number) => (schema[c]?.type === 'category' || schema[c]?.type === 'text' ? 4 : 8);
  const total = all.reduce((sum, c) => sum + width(c), 0);
  let taken = 0;
  let cut = 0;
  while (cut < all.length - 1 && taken + width(cut) / 2 <= total / 2) taken += width(cut++);
  return { here: all.slice(0, Math.max(1, cut)), elsewhere: all.slice(Math.max(1, cut)) };
}
