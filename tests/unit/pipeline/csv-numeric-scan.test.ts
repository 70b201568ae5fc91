// The parser reads the digits of a numeric column's unquoted cells in its scan: each kind of number text keeps its value, its type and the text it was written as, whole and cut into pieces anywhere.
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../../src/lib/pipeline/csv-parser.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';
import { columnAsStrings } from '../../../src/lib/pipeline/table.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

/** Cells the scan reads itself (String() prints them back) and cells it leaves to the builder. */
const PLAIN = ['0', '7', '-12', '123456789012345', '-0.5', '3.14159', '0.000001', '99.25', '-100000.125'];
const KEPT_AS_WRITTEN = ['-0', '007', '1.50', '1.', '.5', '+5', '0.0000001', '1e5', '1234567890123456', '12345678.123456789', '-', '0.10', '1.0', '-0.00', '-1.50', '0.0', '-0.0000001', '10.000'];

function parse(text: string, pieces: number[] | null, options: { delimiter?: string; decimal?: '.' | ',' } = {}): DataTable {
  const parser = new CsvParser('numbers.csv', { delimiter: options.delimiter ?? ',', ...(options.decimal ? { decimal: options.decimal } : {}), capacity: 4 });
  if (!pieces) {
    parser.end(text);
    return parser.finish();
  }
  let at = 0;
  for (const cut of pieces) {
    parser.push(text.slice(at, cut));
    at = cut;
  }
  parser.end(text.slice(at));
  return parser.finish();
}

/** Random cut points of `text`, in order. */
function cuts(text: string, seed: number): number[] {
  const rng = mulberry32(seed);
  const out: number[] = [];
  for (let at = 1 + Math.floor(rng() * 5); at < text.length; at += 1 + Math.floor(rng() * 7)) out.push(at);
  return out;
}

describe('numbers read in the scan', () => {
  it('keeps the value of every kind of number cell, and its text once the column turns out to be text, whole and in pieces', () => {
    const cells = [...PLAIN, ...KEPT_AS_WRITTEN.filter((t) => !Number.isNaN(Number(t)) && t !== '-')];
    const numbers = `x,y\n${cells.map((cell, i) => `${cell},${i}`).join('\n')}\n`;
    // The same cells, then one that is not a number: every earlier cell must come back as written.
    const texts = `${numbers}not a number,0\n`;
    for (const seed of [0, 1, 2, 3]) {
      const [x, y] = parse(numbers, seed ? cuts(numbers, seed) : null).columns;
      expect(x?.type).toBe('number');
      expect(y?.type).toBe('integer');
      if (x && 'values' in x) expect(Array.from(x.values)).toEqual(cells.map(Number));
      const asText = parse(texts, seed ? cuts(texts, seed) : null).columns[0]!;
      expect(columnAsStrings(asText)).toEqual([...cells, 'not a number']);
    }
  });

  it('keeps the decimals of a number read where its column grows (the 17th row of a column sized for 16)', () => {
    for (const cell of ['1.50', '0.0000001']) {
      const cells = [...Array.from({ length: 16 }, (_, i) => String(i)), cell, 'x'];
      const text = `v\n${cells.join('\n')}\n`;
      // The scan reads an unquoted cell; a quoted one goes to the builder's own reader.
      for (const quoted of [false, true]) {
        const body = quoted ? text.replace(cell, `"${cell}"`) : text;
        expect(columnAsStrings(parse(body, null).columns[0]!)).toEqual(cells);
      }
    }
  });

  it('types a column of whole numbers as integer, and one with a decimal point as number', () => {
    const table = parse('a,b,c\n1,2,-3\n4,5.5,60\n', null);
    expect(table.columns.map((c) => c.type)).toEqual(['integer', 'number', 'integer']);
    expect(columnAsStrings(table.columns[1]!)).toEqual(['2', '5.5']);
  });

  it('turns a column into text at its first non-number, with every earlier cell as written', () => {
    const cells = ['1', '-2.5', '1.50', '007', '12', 'abc', '3'];
    const text = `v\n${cells.join('\n')}\n`;
    for (const pieces of [null, cuts(text, 7)]) {
      const column = parse(text, pieces).columns[0]!;
      expect(column.type === 'category' || column.type === 'text').toBe(true);
      expect(columnAsStrings(column)).toEqual(cells);
    }
  });

  it('reads missing cells and numbers cut off at the end of the file', () => {
    const table = parse('a,b\n1,\n,2.5\n-3,4', null);
    expect(columnAsStrings(table.columns[0]!)).toEqual(['1', null, '-3']);
    expect(columnAsStrings(table.columns[1]!)).toEqual([null, '2.5', '4']);
  });

  it('reads a decimal comma where it is the separator', () => {
    const table = parse('a;b\n1,5;2\n-0,25;3\n', null, { delimiter: ';', decimal: ',' });
    expect(table.columns[0]?.type).toBe('number');
    if (table.columns[0] && 'values' in table.columns[0]) expect(Array.from(table.columns[0].values)).toEqual([1.5, -0.25]);
    expect(columnAsStrings(table.columns[0]!)).toEqual(['1.5', '-0.25']);
    // Trailing zeros are kept as written, with the comma, when the column turns out to be text.
    const cells = ['1,50', '-2,000', '0,0000001', '3', 'n/a'];
    const text = `v\n${cells.join('\n')}\n`;
    for (const pieces of [null, cuts(text, 5)]) {
      expect(columnAsStrings(parse(text, pieces, { delimiter: ';', decimal: ',' }).columns[0]!)).toEqual(cells);
    }
  });

  it('gives numbers within 16 digits the value Number() gives, for random digits', () => {
    const rng = mulberry32(11);
    const cells: string[] = [];
    for (let k = 0; k < 2000; k++) {
      const whole = String(Math.floor(rng() * 10 ** (1 + Math.floor(rng() * 8))));
      const decimals = Math.floor(rng() * 7);
      let fraction = '';
      for (let d = 0; d < decimals; d++) fraction += String(Math.floor(rng() * 10));
      cells.push(`${rng() < 0.3 ? '-' : ''}${whole}${decimals ? `.${fraction}` : ''}`);
    }
    const column = parse(`v\n${cells.join('\n')}\n`, null).columns[0]!;
    expect(column.type).toBe('number');
    if ('values' in column) expect(Array.from(column.values)).toEqual(cells.map(Number));
    const asText = parse(`v\n${cells.join('\n')}\nx\n`, null).columns[0]!;
    expect(columnAsStrings(asText)).toEqual([...cells, 'x']);
  });
});
