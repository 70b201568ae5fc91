// sha256Blob gives a file's digest whole through WebCrypto or streamed through the JS hash (what the hash Worker runs).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Blob } from '../../../src/lib/pipeline/sha256.ts';

describe('sha256Blob', () => {
  it('gives the same digest as node:crypto, read whole or streamed in 1 MiB pieces', async () => {
    for (const size of [0, 1, 64, 1 << 20, (3 << 20) + 17]) {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 131 + (i >> 9)) & 255;
      // Two parts, so that the stream hands over more than one piece.
      const blob = new Blob([bytes.subarray(0, size >> 1), bytes.subarray(size >> 1)]);
      const want = createHash('sha256').update(bytes).digest('hex');
      expect(await sha256Blob(blob)).toBe(want);
      expect(await sha256Blob(blob, 0)).toBe(want);
    }
  });
});
