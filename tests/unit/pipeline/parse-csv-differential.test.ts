// Differential test: our parser against d3-dsv's csvParseRows on a seeded corpus of edge cases.
import { dsvFormat } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { createCsvStream } from '../../../src/lib/pipeline/csv-stream.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';
import { columnAsStrings } from '../../../src/lib/pipeline/table.ts';
import { MISSING_TOKENS } from '../../../src/lib/pipeline/infer.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

const PIECES = ['a', 'Zürich', '東京', '😀', ' ', '1', '-2.5', '1e3', 'NA', 'true', '2020-02-29', 'x"y', '"', ',', ';', '\t', '\n', '\r\n', 'é'];

function randomField(rng: () => number, delimiter: string): string {
  const r = rng();
  if (r < 0.15) return '';
  if (r < 0.3) return String(Math.floor(rng() * 1000) - 500);
  let text = '';
  const parts = 1 + Math.floor(rng() * 4);
  for (let p = 0; p < parts; p++) text += PIECES[Math.floor(rng() * PIECES.length)] as string;
  const mustQuote = /["\r\n]/.test(text) || text.includes(delimiter);
  return mustQuote || rng() < 0.1 ? `"${text.replace(/"/g, '""')}"` : text;
}

function randomCsv(seed: number, delimiter: string): string {
  const rng = mulberry32(seed);
  const columns = 2 + Math.floor(rng() * 5);
  const rows = 1 + Math.floor(rng() * 30);
  const newline = rng() < 0.5 ? '\n' : '\r\n';
  const lines: string[] = [];
  lines.push(Array.from({ length: columns }, (_, c) => `col${c}`).join(delimiter));
  for (let r = 0; r < rows; r++) lines.push(Array.from({ length: columns }, () => randomField(rng, delimiter)).join(delimiter));
  return lines.join(newline) + (rng() < 0.7 ? newline : '');
}

/** Feeds UTF-8 bytes to a CSV stream cut at random byte offsets (inside characters, quotes and CRLFs too). */
function parseInRandomChunks(text: string, fileName: string, delimiter: string, rng: () => number): DataTable {
  const bytes = new TextEncoder().encode(text);
  const stream = createCsvStream(fileName, { delimiter });
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(rng() * (rng() < 0.5 ? 4 : 40));
    stream.push(bytes.subarray(at, at + size));
    at += size;
  }
  expect(stream.bytesSeen).toBe(bytes.length);
  return stream.finish();
}

function checkAgainstD3(delimiter: string, parse: (text: string, fileName: string, seed: number) => DataTable): number {
  const reference = dsvFormat(delimiter);
  let cells = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const text = randomCsv(seed * 7919, delimiter);
    const expected = reference.parseRows(text);
    const table = parse(text, `gen-${seed}.csv`, seed);
    const header = expected[0] as string[];
    expect(table.columns.map((c) => c.name)).toEqual(header);
    expect(table.rowCount).toBe(expected.length - 1);
    table.columns.forEach((column, c) => {
      // Compare the raw text when the column stayed a string column; typed columns are checked by value.
      const got = columnAsStrings(column);
      expected.slice(1).forEach((row, r) => {
        const want = row[c] as string;
        if (MISSING_TOKENS.has(want)) expect(got[r], `seed ${seed} row ${r} col ${c}`).toBeNull();
        else if (column.type === 'category' || column.type === 'text') expect(got[r]).toBe(want);
        else expect(got[r], `seed ${seed} row ${r} col ${c}`).not.toBeNull();
        cells++;
      });
    });
  }
  return cells;
}

describe('parseCsv vs d3-dsv', () => {
  for (const delimiter of [',', ';', '\t']) {
    it(`agrees on 300 generated files with delimiter ${JSON.stringify(delimiter)}`, () => {
      const cells = checkAgainstD3(delimiter, (text, fileName) => parseCsv(text, fileName, { delimiter }));
      expect(cells).toBeGreaterThan(10_000);
    });

    it(`streamed in random chunks, agrees on the same files with delimiter ${JSON.stringify(delimiter)}`, () => {
      const cells = checkAgainstD3(delimiter, (text, fileName, seed) => {
        const streamed = parseInRandomChunks(text, fileName, delimiter, mulberry32(seed));
        // The stream and the whole-text parse are one implementation: they must build identical tables.
        expect(streamed).toEqual(parseCsv(text, fileName, { delimiter }));
        return streamed;
      });
      expect(cells).toBeGreaterThan(10_000);
    });
  }

  it('stores the same numbers d3 reads, for numeric columns', () => {
    const rng = mulberry32(42);
    const lines = ['x,y'];
    for (let r = 0; r < 500; r++) lines.push(`${(rng() * 2000 - 1000).toFixed(3)},${Math.floor(rng() * 1e6)}`);
    const text = lines.join('\n');
    const table = parseCsv(text, 'numbers.csv');
    const expected = dsvFormat(',').parseRows(text).slice(1);
    const [x, y] = table.columns;
    expect(x?.type).toBe('number');
    expect(y?.type).toBe('integer');
    expected.forEach((row, r) => {
      expect(x && 'values' in x && x.values[r]).toBe(Number(row[0]));
      expect(y && 'values' in y && y.values[r]).toBe(Number(row[1]));
    });
  });
});
