// Streaming CSV: records across chunk boundaries, true line numbers in errors, renamed columns, wide files.
import { describe, expect, it } from 'vitest';
import { createCsvStream, parseCsvStream } from '../../../src/lib/pipeline/csv-stream.ts';
import { parseCsv, parseCsvDetailed } from '../../../src/lib/pipeline/parse-csv.ts';
import { parseFileDetailedSync } from '../../../src/lib/pipeline/parse.ts';
import { cellValue, getColumn } from '../../../src/lib/pipeline/table.ts';
import { catchAppError, utf8 } from './helpers.ts';

function streamChunks(chunks: (string | Uint8Array)[], fileName = 's.csv', options = {}) {
  const stream = createCsvStream(fileName, options);
  for (const chunk of chunks) stream.push(typeof chunk === 'string' ? utf8(chunk) : chunk);
  return stream.finishDetailed();
}

describe('createCsvStream', () => {
  it('joins a quoted field, a doubled quote and a CRLF that chunk boundaries cut', () => {
    const { table } = streamChunks(['name,note\r', '\n"Smith, J","said "', '"hi""\r\nthen', ' left"\r', '\nLee,x\r\n']);
    expect(table.rowCount).toBe(2);
    expect(cellValue(getColumn(table, 'note'), 0)).toBe('said "hi"\r\nthen left');
    expect(cellValue(getColumn(table, 'name'), 1)).toBe('Lee');
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = utf8('city\nZürich\n東京\n');
    const { table } = streamChunks([bytes.subarray(0, 7), bytes.subarray(7, 14), bytes.subarray(14)]);
    expect(cellValue(getColumn(table, 'city'), 0)).toBe('Zürich');
    expect(cellValue(getColumn(table, 'city'), 1)).toBe('東京');
  });

  it('a value cut by a chunk boundary is not kept as a level of its own', () => {
    const { table } = streamChunks(['k\nabc', 'def\nabcdef\n']);
    const k = getColumn(table, 'k');
    expect(k.type === 'category' && k.levels).toEqual(['abcdef']);
  });

  it('a numeric column that turns to text keeps every value as written', () => {
    const lines = ['code', '007', '1.50', '+3', '-0.0', '1e3', '0.0000001', '12', ' 5', 'A-17'];
    const { table } = streamChunks(lines.map((line) => `${line}\n`));
    const code = getColumn(table, 'code');
    expect(code.type).toBe('category');
    expect(lines.slice(1).map((_, r) => cellValue(code, r))).toEqual(lines.slice(1));
  });

  it('sniffs ; and | and tab, and says TSV', () => {
    expect(streamChunks(['a;b\n1;2,5\n']).delimiter).toBe(';');
    expect(streamChunks(['a|b\n1|2\n']).delimiter).toBe('|');
    const tsv = streamChunks(['a\tb\n1\t2\n'], 'x.txt');
    expect([tsv.delimiter, tsv.format]).toEqual(['\t', 'tsv']);
  });

  it('reads a stream of bytes to the end', async () => {
    const body = new Blob(['a,b\n', '1,x\n', '2,y\n']).stream();
    const result = await parseCsvStream(body, 'blob.csv');
    expect(result.table.rowCount).toBe(2);
    expect(cellValue(getColumn(result.table, 'b'), 1)).toBe('y');
  });

  it('says how many bytes were not UTF-8 when the guess was made on an earlier chunk', () => {
    const head = utf8(`name\n${'x\n'.repeat(40_000)}`);
    const result = streamChunks([head, Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x0a])], 'late.csv');
    expect(result.encoding).toBe('utf-8');
    expect(result.notes).toEqual(['1 character was not valid UTF-8 and became \uFFFD; choose the windows-1252 encoding if the file came from Excel']);
    expect(cellValue(getColumn(result.table, 'name'), 40_000)).toBe('Caf\uFFFD');
  });
});

describe('bad input', () => {
  it('a ragged row at line 50,001 of a large file names that line, whatever the chunking', () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => (i === 49_999 ? `${i},x,extra` : `${i},"v${i % 7}"`));
    const text = `id,v\n${rows.join('\n')}\n`;
    const message = 'big.csv line 50001 has 3 fields; the header has 2';
    expect(catchAppError(() => parseCsv(text, 'big.csv')).message).toBe(message);
    for (const size of [1000, 65536, 1 << 20]) {
      const bytes = utf8(text);
      const e = catchAppError(() => {
        const stream = createCsvStream('big.csv');
        for (let at = 0; at < bytes.length; at += size) stream.push(bytes.subarray(at, at + size));
        stream.finish();
      });
      expect(e.message).toBe(message);
      expect(e.place).toEqual({ file: 'big.csv', row: 50_001 });
    }
  });

  it('duplicate column names are renamed and said so', () => {
    const result = parseFileDetailedSync(utf8('a,b,a,,a\n1,2,3,4,5\n'), 'dup.csv');
    expect(result.table.columns.map((c) => c.name)).toEqual(['a', 'b', 'a_2', 'column_4', 'a_3']);
    expect(result.notes).toEqual([
      'Renamed duplicate column "a" to "a_2"',
      'Named the column with an empty header (column 4) "column_4"',
      'Renamed duplicate column "a" to "a_3"',
    ]);
    expect(cellValue(getColumn(result.table, 'a_3'), 0)).toBe(5);
  });

  it('10,000 columns by a few rows parse quickly, whole or streamed', () => {
    const width = 10_000;
    const header = Array.from({ length: width }, (_, c) => `c${c}`).join(',');
    const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: width }, (_, c) => (c % 3 ? r * c : `t${r}`)).join(','));
    const text = `${header}\n${rows.join('\n')}\n`;
    const start = performance.now();
    const { table } = parseCsvDetailed(text, 'wide.csv');
    const streamed = streamChunks([text.slice(0, 30_000), text.slice(30_000)], 'wide.csv').table;
    expect(performance.now() - start).toBeLessThan(2000);
    expect(table.columns).toHaveLength(width);
    expect(table.rowCount).toBe(5);
    expect(cellValue(getColumn(table, 'c9998'), 4)).toBe(4 * 9998);
    expect(cellValue(getColumn(table, 'c9999'), 3)).toBe('t3');
    expect(streamed).toEqual(table);
  });

  it('an unterminated quote at the end of a stream names the line it opened on', () => {
    const e = catchAppError(() => streamChunks(['a,b\n1,2\n3,"op', 'en\n4,5\n']));
    expect(e.code).toBe('unterminated-quote');
    expect(e.message).toBe('s.csv line 3 opens a quoted field (field 2) that is never closed');
  });

  it('an empty stream and a header-only stream', () => {
    expect(catchAppError(() => streamChunks([])).message).toBe('s.csv is empty');
    expect(catchAppError(() => streamChunks(['a,b\r\n'])).code).toBe('header-only');
  });
});
