// The streamed CSV read hashes with WebCrypto up to a size limit and with the streaming JS hash above it:
// both must give the digest of the whole bytes.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/lib/pipeline/sha256.ts';
import { readSource, type HashElsewhere, type ReadControl } from '../../../src/lib/pipeline/read-source.ts';

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

  /** A Blob whose stream is not a byte stream (no BYOB reader), handing over pieces of `piece` bytes. */
  function plainStreamBlob(bytes: Uint8Array, piece: number): Blob {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    return {
      size: blob.size,
      type: '',
      slice: (start?: number, end?: number) => blob.slice(start, end),
      arrayBuffer: () => blob.arrayBuffer(),
      stream: () => {
        let at = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (at >= bytes.length) return controller.close();
            controller.enqueue(bytes.slice(at, at + piece));
            at += piece;
          },
        });
      },
    } as unknown as Blob;
  }

  it('parses and hashes the same through a byte stream, a plain stream of small or large pieces, and a hash elsewhere', async () => {
    const bytes = csvBytes(100_000);
    const want = sha256Hex(bytes);
    const whole = await readSource({ name: 'cities.csv', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) }, {}, control, { webCryptoMaxBytes: 0 });
    expect(whole.sha256).toBe(want);
    for (const piece of [1000, 3_000_000]) {
      const plain = await readSource({ name: 'cities.csv', blob: plainStreamBlob(bytes, piece) }, {}, control, { webCryptoMaxBytes: 0 });
      expect(plain.sha256).toBe(want);
      expect(plain.result.table).toEqual(whole.result.table);
    }
    const stopped: string[] = [];
    const elsewhere: HashElsewhere = (blob) => ({ digest: blob.arrayBuffer().then((b) => sha256Hex(new Uint8Array(b))), stop: () => stopped.push('stop') });
    const hashedThere = await readSource({ name: 'cities.csv', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) }, {}, control, { hashElsewhere: elsewhere });
    expect(hashedThere.sha256).toBe(want);
    expect(hashedThere.result.table).toEqual(whole.result.table);
    expect(stopped).toEqual(['stop']);
  });

  it('hashes the file here when the hash elsewhere fails, and stops it when the read is cancelled', async () => {
    const bytes = csvBytes(300_000);
    const failing: HashElsewhere = () => ({ digest: Promise.resolve(null), stop: () => undefined });
    const read = await readSource({ name: 'cities.csv', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) }, {}, control, { hashElsewhere: failing });
    expect(read.sha256).toBe(sha256Hex(bytes));
    let stops = 0;
    const never: HashElsewhere = () => ({ digest: new Promise<string | null>(() => undefined), stop: () => void stops++ });
    let reads = 0;
    const cancelling: ReadControl = { cancelled: () => reads++ > 1, onBytes: () => undefined };
    await expect(readSource({ name: 'big.csv', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) }, {}, cancelling, { hashElsewhere: never })).rejects.toMatchObject({ code: 'cancelled' });
    expect(stops).toBe(1);
  });

  it('takes a digest already known as it is and hashes nothing, CSV or JSON', async () => {
    const known = 'ab'.repeat(32);
    const never: HashElsewhere = () => {
      throw new Error('the hash elsewhere was started');
    };
    const csv = await readSource({ name: 'cities.csv', blob: new Blob([csvBytes(1000) as Uint8Array<ArrayBuffer>]) }, {}, control, { knownSha256: known, hashElsewhere: never });
    expect(csv.sha256).toBe(known);
    expect(csv.result.table.rowCount).toBe(1000);
    const json = await readSource({ name: 'rows.json', blob: new Blob(['[{"a":1},{"a":2}]']) }, {}, control, { knownSha256: known });
    expect(json).toMatchObject({ sha256: known, result: { table: { rowCount: 2 } } });
  });
});
