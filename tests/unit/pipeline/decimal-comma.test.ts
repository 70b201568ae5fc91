// Decimal commas: a semicolon-separated European export (seattle-weather's first 40 days) is read with numbers as numbers, and both guesses said.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCsvStream } from '../../../src/lib/pipeline/csv-stream.ts';
import { parseFileDetailedSync, type ParseOptions } from '../../../src/lib/pipeline/parse.ts';
import { readCsvPart, readTableBytes, readTableSplit, type CsvPart } from '../../../src/lib/pipeline/score-read.ts';
import type { DataTable, NumericColumn, StringColumn } from '../../../src/lib/pipeline/types.ts';
import { utf8, VEGA } from './helpers.ts';

const EU = readFileSync(new URL('../../fixtures/decimal/seattle-weather-eu.csv', import.meta.url));
const original = readFileSync(VEGA + 'seattle-weather.csv', 'utf8').split('\n').slice(0, 41).join('\n') + '\n';
const NUMBERS = ['precipitation', 'temp_max', 'temp_min', 'wind'];

const column = (table: DataTable, name: string) => table.columns.find((c) => c.name === name)!;

describe('a semicolon file with decimal commas', () => {
  const read = parseFileDetailedSync(EU, 'seattle-weather-eu.csv');
  const reference = parseFileDetailedSync(utf8(original), 'seattle-weather.csv');

  it('guesses the delimiter and the decimal comma, and says both', () => {
    expect(read).toMatchObject({ format: 'csv', delimiter: ';', decimal: ',' });
    expect(read.guessed).toEqual([
      'Delimiter guessed: semicolon (;), from the first lines',
      'Decimal separator guessed: comma, from numbers such as 0,0 in the first lines',
    ]);
    // The original comma-separated file guesses nothing.
    expect(reference).toMatchObject({ delimiter: ',', decimal: '.', guessed: [] });
  });

  it('reads the decimal-comma columns as the same numbers as the original file', () => {
    expect(read.table.rowCount).toBe(40);
    for (const name of NUMBERS) {
      const got = column(read.table, name) as NumericColumn;
      expect(got.type, name).toBe('number');
      expect([...got.values], name).toEqual([...(column(reference.table, name) as NumericColumn).values]);
    }
    expect(column(read.table, 'weather').type).toBe('category');
    expect(column(read.table, 'date').type).toBe('date');
  });

  it('reads the same while streaming in small chunks (the import path)', () => {
    const stream = createCsvStream('seattle-weather-eu.csv');
    for (let at = 0; at < EU.length; at += 97) stream.push(EU.subarray(at, at + 97));
    const streamed = stream.finishDetailed();
    expect(streamed).toMatchObject({ delimiter: ';', decimal: ',', guessed: read.guessed });
    for (const name of NUMBERS) expect([...(column(streamed.table, name) as NumericColumn).values]).toEqual([...(column(read.table, name) as NumericColumn).values]);
  });

  it('reads them as text when the person chooses a decimal point, and guesses nothing then', () => {
    const chosen = parseFileDetailedSync(EU, 'seattle-weather-eu.csv', { delimiter: ';', decimal: '.' });
    expect(chosen.guessed).toEqual([]);
    const wind = column(chosen.table, 'wind') as StringColumn;
    expect(wind.type).toBe('text');
    expect(wind.levels).toContain('4,7');
  });
});

describe('decimal comma cells', () => {
  const parse = (text: string) => parseFileDetailedSync(utf8(text), 'cells.csv');

  it('reads quoted cells, grouped thousands and missing tokens, and keeps a column that turns out to be text as written', () => {
    const { table, decimal } = parse('a;b;c\n3,5;"1.234,5";x\n4,0;NA;y\n-0,25;2;z\n3,50;7,1;4,0\n');
    expect(decimal).toBe(',');
    expect([...(column(table, 'a') as NumericColumn).values]).toEqual([3.5, 4, -0.25, 3.5]);
    expect([...(column(table, 'b') as NumericColumn).values]).toEqual([1234.5, NaN, 2, 7.1]);
    const c = column(table, 'c') as StringColumn;
    expect(c.levels).toEqual(['x', 'y', 'z', '4,0']);
  });

  it('turns a numeric column into text from the text each value was written as', () => {
    const { table } = parse('a;b\n3,5;1,0\n4,0;2,25\nn/a;3,1\n');
    expect((column(table, 'a') as StringColumn).levels).toEqual(['3,5', '4,0', 'n/a']);
    expect(column(table, 'b').type).toBe('number');
  });

  it('keeps the decimal point where points outnumber commas or the delimiter is a comma', () => {
    expect(parse('a;b\n3.5;1,2\n4.5;2.5\n')).toMatchObject({ decimal: '.', guessed: ['Delimiter guessed: semicolon (;), from the first lines'] });
    expect(parse('a,b\n"3,5",1\n')).toMatchObject({ delimiter: ',', decimal: '.', guessed: [] });
  });
});

describe('a decimal-comma file read to score in two parts', () => {
  it('joins the parts as one pass reads the file: numbers, and a column turning text late as written', async () => {
    const lines = ['id;amount;late'];
    for (let i = 0; i < 200; i++) lines.push(`${i};${i},${i % 10};${i === 150 ? 'n/a-ish' : `${i % 7},5`}`);
    const bytes = utf8(lines.join('\n') + '\n');
    const asked: ParseOptions[] = [];
    const elsewhere = async (part: Iterable<Uint8Array>, options: ParseOptions) => {
      asked.push(options);
      return structuredClone(readCsvPart(part, 'f.csv', options)) as CsvPart;
    };
    const split = await readTableSplit(bytes, 'f.csv', {}, {}, elsewhere, { minBytes: 0 });
    const whole = await readTableBytes(bytes, 'f.csv', {});
    // The second part was read elsewhere with the delimiter and decimal separator guessed from the whole file's head.
    expect(asked).toMatchObject([{ delimiter: ';', decimal: ',' }]);
    expect(split).toEqual(whole);
    expect((column(whole, 'amount') as NumericColumn).values[12]).toBe(12.2);
    expect((column(whole, 'late') as StringColumn).levels.slice(0, 2)).toEqual(['0,5', '1,5']);
  });
});
