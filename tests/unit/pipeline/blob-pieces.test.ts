// blobPieces: a Blob's bytes in order, through a byte stream (reused buffers) or a plain one (gathered and cut).
import { describe, expect, it } from 'vitest';
import { blobPieces } from '../../../src/lib/pipeline/blob-pieces.ts';

function bytesOf(size: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: size }, (_, i) => (i * 7 + (i >> 8)) & 255);
}

/** A Blob whose stream is a plain (not byte) stream handing over pieces of `piece` bytes. */
function plainBlob(bytes: Uint8Array, piece: number, cancelled: string[] = []): Blob {
  return {
    size: bytes.length,
    stream: () => {
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + piece));
          at += piece;
        },
        cancel: () => void cancelled.push('cancelled'),
      });
    },
  } as unknown as Blob;
}

/** Copies of the pieces (each is valid only until the next) and their sizes. */
async function collect(blob: Blob, pieceBytes: number): Promise<{ joined: Uint8Array; sizes: number[] }> {
  const copies: Uint8Array[] = [];
  for await (const piece of blobPieces(blob, pieceBytes)) copies.push(piece.slice());
  const joined = new Uint8Array(copies.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of copies) {
    joined.set(c, at);
    at += c.length;
  }
  return { joined, sizes: copies.map((c) => c.length) };
}

describe('blobPieces', () => {
  const bytes = bytesOf(300_000);

  it('gives the bytes in order from a byte stream, in pieces no larger than asked', async () => {
    const { joined, sizes } = await collect(new Blob([bytes.subarray(0, 100_000), bytes.subarray(100_000)]), 65_536);
    expect(joined).toEqual(bytes);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(65_536);
  });

  it('gathers small pieces and cuts large ones from a plain stream', async () => {
    const small = await collect(plainBlob(bytes, 1000), 65_536);
    expect(small.joined).toEqual(bytes);
    expect(small.sizes.slice(0, -1).every((n) => n > 60_000 && n <= 65_536)).toBe(true);
    const large = await collect(plainBlob(bytes, 200_000), 65_536);
    expect(large.joined).toEqual(bytes);
    expect(Math.max(...large.sizes)).toBeLessThanOrEqual(65_536);
  });

  it('gives nothing for an empty Blob, and cancels the read when the caller stops early', async () => {
    expect((await collect(new Blob([]), 1024)).sizes).toEqual([]);
    const cancelled: string[] = [];
    for await (const piece of blobPieces(plainBlob(bytes, 1000, cancelled), 4096)) {
      expect(piece.length).toBeGreaterThan(0);
      break;
    }
    expect(cancelled).toEqual(['cancelled']);
  });
});
