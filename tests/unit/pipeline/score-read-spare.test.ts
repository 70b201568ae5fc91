// After a read in two parts, the buffers handed out as spare (the parts' cells copied into the table's columns) are none the table uses: written over, the table still equals a one-pass read.
import { describe, expect, it } from 'vitest';
import { readCsvPart, readTableBytes, readTableSplit, type CsvPart } from '../../../src/lib/pipeline/score-read.ts';
import type { ParseOptions } from '../../../src/lib/pipeline/parse.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

const cells = (table: DataTable) => table.columns.map((c) => ({ name: c.name, type: c.type, cells: Array.from('codes' in c ? c.codes : c.values), levels: 'levels' in c ? [...c.levels] : null }));

/** 3000 rows: numbers, decimals written "1.50", a column turning text in the second half, categories, dates. */
function csv(): string {
  const lines = ['id,num,fixed,turns,cat,date'];
  for (let i = 0; i < 3000; i++) {
    const turns = i > 2000 && i % 97 === 0 ? 'text' : String(i % 13);
    lines.push([i, i % 11 === 0 ? '' : String(i / 8), (i % 7) + '.50', turns, `c${i % (i > 1500 ? 40 : 5)}`, `2020-0${(i % 9) + 1}-1${i % 10}`].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('readTableSplit onSpare', () => {
  it.each([0.3, 0.5, 0.8])('hands out only buffers the table does not use (cut at %f)', async (fraction) => {
    const bytes = new TextEncoder().encode(csv());
    const elsewhere = async (part: Iterable<Uint8Array>, options: ParseOptions) => structuredClone(readCsvPart(part, 'f.csv', options)) as CsvPart;
    const spare: ArrayBuffer[] = [];
    const table = await readTableSplit(bytes, 'f.csv', {}, { onSpare: (buffers) => spare.push(...buffers) }, elsewhere, { minBytes: 0, fraction });
    expect(spare.length).toBeGreaterThan(0);
    for (const buffer of spare) new Uint8Array(buffer).fill(0xab);
    expect(cells(table)).toEqual(cells(await readTableBytes(bytes, 'f.csv')));
  });
});
