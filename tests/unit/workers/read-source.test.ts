// The streamed CSV read hashes with WebCrypto up to a size limit and with the streaming JS hash above it:
// both must give the digest of the whole bytes.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/pipeline/sha256.ts';
import { readSource, type ReadControl } from '../../../src/lib/pipeline/read-source.ts';

const control: ReadControl = { cancelled: () => false, onBytes: () => undefined };

function csvBytes(rows: number): Uint8Array {
  const lines = ['id,x,city'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.37).toFixed(2)},${['Oslo', 'Zürich', '東京'][i % 3]}`);
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

describe('readSource hashing', () => {
  for (const rows of [3, 200_000]) {
    it(`gives the same SHA-256 by WebCrypto and by the streamed JS hash (${rows} rows)`, async () => {
      const bytes = csvBytes(rows);
      const source = { name: 'cities.csv', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) };
      const viaWebCrypto = await readSource(source, {}, control);
      const viaStream = await readSource(source, {}, control, { webCryptoMaxBytes: 0 });
      expect(viaWebCrypto.sha256).toBe(sha256Hex(bytes));
      expect(viaStream.sha256).toBe(viaWebCrypto.sha256);
      expect(viaStream.result.table.rowCount).toBe(rows);
      expect(viaWebCrypto.result.table.rowCount).toBe(rows);
    });
  }

  it('reports a cancel, not the pending digest', async () => {
    const source = { name: 'big.csv', blob: new Blob([csvBytes(300_000) as Uint8Array<ArrayBuffer>]) };
    let reads = 0;
    const cancelling: ReadControl = { cancelled: () => reads++ > 0, onBytes: () => undefined };
    await expect(readSource(source, {}, cancelling)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
