// Chunk bytes <-> the Blob values stored in IndexedDB.
import { CHUNK_ROWS, encodeChunkParts, type ChunkRange } from '../pipeline/arrow-codec.ts';
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

/** A table's chunks (those of `range`) as Blobs, each made from the IPC writer's pieces as soon as it is encoded. */
export function* chunkBlobs(table: DataTable, range: ChunkRange = {}, rowsPerChunk = CHUNK_ROWS): Generator<Blob> {
  for (const parts of encodeChunkParts(table, rowsPerChunk, range)) yield partsToBlob(parts);
}

/** Reads a stored chunk back as bytes. */
export async function chunkBytes(chunk: ChunkRecord): Promise<Uint8Array> {
  return new Uint8Array(await chunk.blob.arrayBuffer());
}
