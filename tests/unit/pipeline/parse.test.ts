import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/lib/pipeline/parse.ts';
import { parseCsv, sniffDelimiter } from '../../../src/lib/pipeline/parse-csv.ts';
import { parseJson, parseNdjson } from '../../../src/lib/pipeline/parse-json.ts';
import { cellValue, getColumn } from '../../../src/lib/pipeline/table.ts';
import { BAD, catchAppError, loadVega, utf8 } from './helpers.ts';

const bad = (name: string) => catchAppError(() => parseFile(readFileSync(BAD + name), name));

describe('bad inputs', () => {
  it('empty.csv', () => {
    const e = bad('empty.csv');
    expect(e.code).toBe('empty-file');
    expect(e.message).toBe('empty.csv is empty');
    expect(e.place.file).toBe('empty.csv');
  });

  it('header-only.csv', () => {
    const e = bad('header-only.csv');
    expect(e.code).toBe('header-only');
    expect(e.message).toBe('header-only.csv has a header but no data rows');
    expect(e.place).toEqual({ file: 'header-only.csv', row: 2 });
  });

  it('ragged.csv names the line and both field counts', () => {
    const e = bad('ragged.csv');
    expect(e.code).toBe('ragged-row');
    expect(e.message).toBe('ragged.csv line 7 has 9 fields; the header has 8');
    expect(e.place).toEqual({ file: 'ragged.csv', row: 7 });
  });

  it('a short row counts its fields too', () => {
    const e = catchAppError(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'short.csv'));
    expect(e.message).toBe('short.csv line 3 has 2 fields; the header has 3');
  });

  it('line numbers count newlines inside quoted fields', () => {
    const e = catchAppError(() => parseCsv('a,b\n"x\ny",1\n"z",2,3\n', 'multi.csv'));
    expect(e.message).toBe('multi.csv line 4 has 3 fields; the header has 2');
  });

  it('unterminated-quote.csv names the line where the quote opened', () => {
    const e = bad('unterminated-quote.csv');
    expect(e.code).toBe('unterminated-quote');
    expect(e.message).toContain('unterminated-quote.csv line 4');
    expect(e.place).toEqual({ file: 'unterminated-quote.csv', row: 4, column: 'comment' });
  });

  it('image.csv (a PNG) is reported as binary', () => {
    const e = bad('image.csv');
    expect(e.code).toBe('binary-file');
    expect(e.message).toBe('image.csv looks like a binary file (PNG image), not text');
  });

  it('NUL bytes make a file binary', () => {
    const bytes = utf8('a,b\n1,2\n');
    bytes[5] = 0;
    expect(catchAppError(() => parseFile(bytes, 'nul.csv')).code).toBe('binary-file');
  });

  it('not-records.json names the key it found', () => {
    const e = bad('not-records.json');
    expect(e.code).toBe('not-records');
    expect(e.message).toBe('not-records.json is not an array of records: found an object with keys "columns", "data"');
  });

  it('an array item that is not a record is named by number', () => {
    const e = catchAppError(() => parseJson('[{"a":1},{"a":2},3]', 'items.json'));
    expect(e.code).toBe('not-records');
    expect(e.message).toBe('items.json is not an array of records: item 3 is a number');
    expect(e.place.row).toBe(3);
  });

  it('invalid JSON gives line and column', () => {
    const e = catchAppError(() => parseJson('[\n  {"a": 1},\n  {"a": 2,}\n]', 'broken.json'));
    expect(e.code).toBe('bad-json');
    expect(e.message).toMatch(/^broken\.json is not valid JSON: the problem is at line 3, column 11/);
    expect(e.place).toEqual({ file: 'broken.json', row: 3 });
  });

  it('a bad NDJSON line is reported by its number', () => {
    const e = catchAppError(() => parseNdjson('{"a":1}\n{"a":2}\n{"a":\n', 'log.ndjson'));
    expect(e.code).toBe('bad-json');
    expect(e.message).toContain('log.ndjson is not valid JSON: the problem is at line 3');
    expect(e.place.row).toBe(3);
  });

  it('xss-header.csv keeps the header as plain text', () => {
    const table = parseFile(readFileSync(BAD + 'xss-header.csv'), 'xss-header.csv');
    expect(table.columns.map((c) => c.name)).toEqual(['<img src=x onerror=alert(1)>', 'value']);
    expect(cellValue(getColumn(table, '<img src=x onerror=alert(1)>'), 1)).toBe('y');
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, delimiters and newlines inside quotes, CRLF', () => {
    const t = parseCsv('name,note\r\n"Smith, J","said ""hi""\r\nthen left"\r\nLee,\r\n', 'q.csv');
    expect(t.rowCount).toBe(2);
    expect(cellValue(getColumn(t, 'name'), 0)).toBe('Smith, J');
    expect(cellValue(getColumn(t, 'note'), 0)).toBe('said "hi"\r\nthen left');
    expect(cellValue(getColumn(t, 'note'), 1)).toBeNull();
  });

  it('renames duplicate and empty header names', () => {
    const t = parseCsv('a,a,,a\n1,2,3,4\n', 'h.csv');
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'a_2', 'column_3', 'a_3']);
  });

  it('strips a BOM and accepts a file without a final newline', () => {
    const t = parseFile(utf8('\uFEFFx;y\n1;2\n3;4'), 'bom.csv');
    expect(t.columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(t.rowCount).toBe(2);
    expect(cellValue(getColumn(t, 'y'), 1)).toBe(4);
  });

  it('re-reads a column as text when a non-number shows up late', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `${i},${i % 7}.5`);
    const t = parseCsv(`code,x\n${lines.join('\n')}\nA-17,1\n`, 'late.csv');
    const code = getColumn(t, 'code');
    expect(code.type).toBe('text');
    expect(cellValue(code, 0)).toBe('0');
    expect(cellValue(code, 500)).toBe('A-17');
    expect(getColumn(t, 'x').type).toBe('number');
  });

  it('reads numbers exactly as Number() does', () => {
    const raw = ['1e3', '+.5', '007', '-0.1', ' 5', '123456789012345678', '0.1234567890123456789', 'NA'];
    const t = parseCsv(`x\n${raw.join('\n')}\n`, 'nums.csv');
    const x = getColumn(t, 'x');
    expect(x.type).toBe('number');
    expect(raw.map((_, r) => cellValue(x, r))).toEqual([...raw.slice(0, -1).map(Number), null]);
  });

  it('ignores trailing blank lines, also in a one-column file', () => {
    expect(parseCsv('x\n1\n2\n\n\r\n', 'one.csv').rowCount).toBe(2);
    expect(parseCsv('x,y\n1,2\n\n3,4\n\n', 'two.csv').rowCount).toBe(2);
  });

  it('sniffs the delimiter', () => {
    expect(sniffDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n"x\ty"\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('a,b\n"1;2",3\n')).toBe(',');
  });

  it('reads the unemployment TSV from vega-datasets', () => {
    const t = loadVega('unemployment.tsv');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'rate']);
    expect(t.rowCount).toBe(3218); // 3,219 lines including the header, as d3-dsv reads it
    expect(getColumn(t, 'rate').type).toBe('number');
  });
});

describe('real files', () => {
  it('penguins.json: 344 rows, nulls and the "." level', () => {
    const t = loadVega('penguins.json');
    expect(t.rowCount).toBe(344);
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['Species', 'category'],
      ['Island', 'category'],
      ['Beak Length (mm)', 'number'],
      ['Beak Depth (mm)', 'number'],
      ['Flipper Length (mm)', 'integer'],
      ['Body Mass (g)', 'integer'],
      ['Sex', 'category'],
    ]);
    const sex = getColumn(t, 'Sex');
    expect(sex.type === 'category' && sex.levels).toContain('.');
    expect(cellValue(getColumn(t, 'Beak Length (mm)'), 0)).toBe(39.1);
    expect(cellValue(getColumn(t, 'Beak Length (mm)'), 3)).toBeNull();
  });

  it('cars.json: date strings become dates', () => {
    const t = loadVega('cars.json');
    const year = getColumn(t, 'Year');
    expect(year.type).toBe('date');
    expect(cellValue(year, 0)).toBe('1970-01-01');
    expect(year.type === 'date' && year.values[0]).toBe(0);
    expect(getColumn(t, 'Horsepower').type).toBe('integer');
  });

  it('movies.json: numeric titles stay text', () => {
    const t = loadVega('movies.json');
    const title = getColumn(t, 'Title');
    expect(title.type).toBe('text');
    expect(t.rowCount).toBe(3201);
  });

  it('seattle-weather.csv', () => {
    const t = loadVega('seattle-weather.csv');
    expect(t.rowCount).toBe(1461);
    expect(cellValue(getColumn(t, 'date'), 1)).toBe('2012-01-02');
    expect(cellValue(getColumn(t, 'precipitation'), 1)).toBe(10.9);
    expect(getColumn(t, 'weather').type).toBe('category');
  });

  it('NDJSON unions keys in first-seen order', () => {
    const t = parseFile(utf8('{"a":1}\n\n{"b":"x","a":2}\n'), 'rows.jsonl');
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(cellValue(getColumn(t, 'b'), 0)).toBeNull();
    expect(cellValue(getColumn(t, 'a'), 1)).toBe(2);
  });

  it('nested JSON values are kept as JSON text', () => {
    const t = parseJson('[{"a":{"x":1}},{"a":[1,2]}]', 'nested.json');
    expect(cellValue(getColumn(t, 'a'), 0)).toBe('{"x":1}');
    expect(cellValue(getColumn(t, 'a'), 1)).toBe('[1,2]');
  });
});
