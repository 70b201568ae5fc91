// Streaming past the 64 KB prefix decodes UTF-8 and windows-1252 in pieces cut at line feeds: whatever the chunk
// sizes, the table must be the one parsed from the whole text.
import { describe, expect, it } from 'vitest';
import { createCsvStream } from '../../../src/lib/pipeline/csv-stream.ts';
import { parseCsvDetailed } from '../../../src/lib/pipeline/parse-csv.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';
import { utf8 } from './helpers.ts';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function snapshot(table: DataTable): string {
  return JSON.stringify(
    table.columns.map((c) => ('codes' in c ? [c.name, c.type, c.levels, Array.from(c.codes)] : [c.name, c.type, Array.from(c.values)])),
  );
}

function csvText(rows: number, seed: number, eol: string): string {
  const random = seeded(seed);
  const words = ['Zürich', '東京', 'naïve', 'NA', '', 'null', 'plain', '😀 smile', 'a,b'];
  const lines = ['id,x,city,note'];
  for (let i = 0; i < rows; i++) {
    const word = words[Math.floor(random() * words.length)] as string;
    const note = random() < 0.1 ? `"line one${eol}line ""two"""` : random() < 0.05 ? '' : `n${Math.floor(random() * 50)}`;
    const x = random() < 0.05 ? 'NaN' : (random() * 100 - 50).toFixed(Math.floor(random() * 4));
    lines.push(`${i},${x},${word.includes(',') ? `"${word}"` : word},${note}`);
  }
  return lines.join(eol) + eol;
}

function streamed(bytes: Uint8Array, sizes: () => number, options = {}): DataTable {
  const stream = createCsvStream('lines.csv', { totalBytes: bytes.length, ...options });
  for (let at = 0; at < bytes.length; ) {
    const next = Math.min(bytes.length, at + sizes());
    stream.push(bytes.slice(at, next));
    at = next;
  }
  return stream.finish();
}

describe('createCsvStream cut at line feeds', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    it(`gives the whole-text table for any chunk sizes (${JSON.stringify(eol)} line ends)`, () => {
      const text = csvText(12_000, eol.length + 7, eol);
      const bytes = utf8(text);
      const expected = snapshot(parseCsvDetailed(text, 'lines.csv').table);
      const random = seeded(3);
      for (const sizes of [() => 1 << 20, () => 70_000, () => 1 + Math.floor(random() * 9000), () => 1 + Math.floor(random() * 3)]) {
        expect(snapshot(streamed(bytes, sizes))).toBe(expected);
      }
    });
  }

  it('keeps a multi-byte character or a bad byte just before a line feed', () => {
    const lines = ['k'];
    for (let i = 0; i < 60_000; i++) lines.push(i % 3 === 0 ? 'é' : i % 3 === 1 ? '東' : 'x');
    const good = utf8(lines.join('\n') + '\n');
    // A lead byte with no continuation right before some line feeds.
    const bytes = new Uint8Array(good.length + 2);
    bytes.set(good.subarray(0, 100_000));
    bytes.set([0xe6, 0x0a], 100_000);
    bytes.set(good.subarray(100_000), 100_002);
    const expected = snapshot(parseCsvDetailed(new TextDecoder().decode(bytes), 'lines.csv').table);
    for (const size of [1, 7, 4096, 65_537, 100_001, 1 << 20]) {
      expect(snapshot(streamed(bytes, () => size, { encoding: 'utf-8' }))).toBe(expected);
    }
  });

  it('parses windows-1252 bytes the same in any pieces', () => {
    const lines = ['name,n'];
    for (let i = 0; i < 15_000; i++) lines.push(`caf\xe9 ${i % 40},${i}`);
    const bytes = Uint8Array.from(lines.join('\n') + '\n', (ch) => ch.charCodeAt(0));
    const whole = snapshot(streamed(bytes, () => bytes.length, { encoding: 'windows-1252' }));
    expect(snapshot(streamed(bytes, () => 777, { encoding: 'windows-1252' }))).toBe(whole);
    expect(whole).toContain('café 3');
  });
});
