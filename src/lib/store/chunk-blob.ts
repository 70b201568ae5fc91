// Chunk bytes <-> the Blob values stored in IndexedDB.
import type { ChunkRecord } from './records.ts';

/** Wraps chunk bytes in a Blob (one copy; the caller's array stays usable). */
export function bytesToBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.arrow.stream' });
}

/** Reads a stored chunk back as bytes. */
export async function chunkBytes(chunk: ChunkRecord): Promise<Uint8Array> {
  return new Uint8Array(await chunk.blob.arrayBuffer());
}
