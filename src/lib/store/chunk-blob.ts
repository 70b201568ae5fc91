// Chunk bytes <-> the Blob values stored in IndexedDB.
import { CHUNK_ROWS, encodeChunkParts, type ChunkRange } from '../pipeline/arrow-codec.ts';
import { byteReader } from '../pipeline/blob-pieces.ts';
import { EncodeScratch } from '../pipeline/encode-scratch.ts';
import type { DataTable } from '../pipeline/types.ts';
import type { ChunkRecord } from './records.ts';

/** Wraps chunk bytes in a Blob (one copy; the caller's array stays usable). */
export function bytesToBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.arrow.stream' });
}

/** A chunk given in pieces (encodeChunkParts) as one Blob: the pieces are copied once, never joined first. */
export function partsToBlob(parts: Uint8Array[]): Blob {
  return new Blob(parts as Uint8Array<ArrayBuffer>[], { type: 'application/vnd.apache.arrow.stream' });
}

/**
 * A table's chunks (those of `range`) as Blobs, each made from the IPC writer's pieces as soon as it is encoded.
 * The Blob copies the pieces, so each chunk's arrays are written over the last one's (no fresh pages per chunk).
 */
export function* chunkBlobs(table: DataTable, range: ChunkRange = {}, rowsPerChunk = CHUNK_ROWS): Generator<Blob> {
  const scratch = new EncodeScratch();
  for (const parts of encodeChunkParts(table, rowsPerChunk, range, scratch)) yield partsToBlob(parts);
}

/** Reads a stored chunk back as bytes. */
export async function chunkBytes(chunk: ChunkRecord): Promise<Uint8Array> {
  return new Uint8Array(await chunk.blob.arrayBuffer());
}

/**
 * Reads chunk Blobs into a few buffers used again and again: a chunk's bytes are a view that stays valid until it is
 * given back with `release`. Where a Blob's stream is a byte stream the bytes are read straight into a free buffer;
 * `blob.arrayBuffer()` makes a new buffer per chunk, whose fresh pages cost more than the read itself.
 */
export class ChunkBuffers {
  #free: ArrayBuffer[] = [];

  /** The chunk's bytes, in a buffer of the pool (or a fresh one when none is free or large enough). */
  async read(chunk: ChunkRecord): Promise<Uint8Array> {
    const { blob } = chunk;
    const size = blob.size;
    const reader = byteReader(blob);
    if (!reader) return chunkBytes(chunk);
    const index = this.#free.findIndex((buffer) => buffer.byteLength >= size);
    let buffer = index >= 0 ? (this.#free.splice(index, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.max(1, size));
    let filled = 0;
    let done = false;
    while (filled < size && !done) {
      const result = await reader.read(new Uint8Array(buffer, filled, size - filled));
      done = result.done;
      // The read moves the buffer into the view it returns.
      if (result.value) {
        buffer = result.value.buffer as ArrayBuffer;
        if (!done) filled += result.value.length;
      }
    }
    if (!done) void reader.cancel().catch(() => undefined);
    return new Uint8Array(buffer, 0, filled);
  }

  /** Gives a chunk's buffer back once nothing reads its bytes any more. */
  release(bytes: Uint8Array): void {
    if (bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength > 0) this.#free.push(bytes.buffer);
  }
}
