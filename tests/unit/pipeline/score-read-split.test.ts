// Reading a file to score in two parts (the second parsed elsewhere, its columns joined to the first's) builds the same table as one pass: types decided over the whole file, levels in order of first appearance, date formats, missing cells.
import { describe, expect, it } from 'vitest';
import { dateFormatOf } from '../../../src/lib/pipeline/infer.ts';
import type { ParseOptions } from '../../../src/lib/pipeline/parse.ts';
import { joinParts, readCsvPart, readTableBytes, readTableSplit, splitPoint, type CsvPart } from '../../../src/lib/pipeline/score-read.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/** A table as plain data: names, types, cells (NaN kept), levels and date formats. */
function snapshot(table: DataTable) {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      cells: Array.from('codes' in c ? c.codes : c.values),
      levels: 'levels' in c ? [...c.levels] : null,
      dateFormat: dateFormatOf(c) ?? null,
    })),
  };
}

/** What a one-pass read gives: the table, or the error's code and message. */
async function onePass(bytes: Uint8Array, options: ParseOptions = {}) {
  try {
    return snapshot(await readTableBytes(bytes, 'f.csv', options));
  } catch (error) {
    return { error: String(error), code: (error as { code?: string }).code };
  }
}

/** The part a helper Worker returns (structured-cloned, as postMessage does). */
const elsewhere = async (bytes: Iterable<Uint8Array>, options: ParseOptions) => structuredClone(readCsvPart(bytes, 'f.csv', options)) as CsvPart;

async function twoPass(bytes: Uint8Array, options: ParseOptions = {}, fraction = 0.5) {
  try {
    return snapshot(await readTableSplit(bytes, 'f.csv', options, {}, elsewhere, { minBytes: 0, fraction }));
  } catch (error) {
    return { error: String(error), code: (error as { code?: string }).code };
  }
}

/** The two parts cut where splitPoint says, parsed and joined directly (no fallback to one pass). */
function joined(bytes: Uint8Array, options: ParseOptions, fraction: number): ReturnType<typeof snapshot> {
  const cut = splitPoint(bytes, { minBytes: 0, fraction });
  if (!cut) throw new Error(`no cut at ${fraction}`);
  const setup = { ...options, encoding: 'utf-8', delimiter: options.delimiter ?? ',' };
  const rest = new Uint8Array(cut.headerEnd + bytes.length - cut.split);
  rest.set(bytes.subarray(0, cut.headerEnd));
  rest.set(bytes.subarray(cut.split), cut.headerEnd);
  const first = readCsvPart([bytes.subarray(0, cut.split)], 'f.csv', setup);
  const second = structuredClone(readCsvPart([rest], 'f.csv', setup)) as CsvPart;
  return snapshot(joinParts('f.csv', first, second, options));
}

/**
 * 200 rows whose second half changes what the first suggests: a numeric column turning text (with "1.50" and
 * "007" written so), integers turning decimal, new categories, day-first dates revealed late, booleans turning
 * text, a column missing throughout the first half, one missing everywhere, quoted fields with delimiters,
 * quotes and line breaks.
 */
function trickyCsv(eol: string): string {
  const lines = ['id,num,int,cat,date,flag,late,empty,note,many'];
  for (let i = 0; i < 200; i++) {
    const second = i >= 100;
    const num = second && i % 37 === 0 ? 'n/a-ish' : i % 11 === 0 ? 'NA' : i % 7 === 0 ? '1.50' : i % 13 === 0 ? '007' : String(i / 4);
    const int = second && i % 9 === 0 ? `${i}.5` : i % 10 === 0 ? '' : String(i * 3);
    const cat = second ? `c${i % 30}` : `c${i % 5}`;
    const date = second && i === 150 ? '25/12/2020' : `0${(i % 9) + 1}/0${(i % 3) + 1}/2020`;
    const flag = second && i === 199 ? 'maybe' : i % 2 ? 'true' : 'FALSE';
    const late = second ? String(i % 4) : i % 3 ? 'null' : '';
    const note = i % 17 === 0 ? `"line ${i}${eol}next, ""quoted"""` : i % 19 === 0 ? '"a,b"' : `n${i % 3}`;
    const many = `v${i % (second ? 60 : 8)}`;
    lines.push([i, num, int, cat, date, flag, late, '', note, many].join(','));
  }
  return lines.join(eol) + eol;
}

describe('readTableSplit: two parts joined equal one pass', () => {
  for (const [label, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`tricky columns, ${label}, cut at several places`, async () => {
      const bytes = encode(trickyCsv(eol));
      const one = await onePass(bytes);
      expect('error' in one).toBe(false);
      const types = (one as ReturnType<typeof snapshot>).columns.map((c) => c.type);
      // What the second half reveals decides the types (and the format: dd/mm/yyyy).
      // (30 and 60 levels are more than the 20 a category of 200 rows may have: text.)
      expect(types).toEqual(['integer', 'text', 'number', 'text', 'date', 'category', 'integer', 'category', 'category', 'text']);
      expect((one as ReturnType<typeof snapshot>).columns[4]?.dateFormat).toBe('dd/mm/yyyy');
      for (const fraction of [0.2, 0.5, 0.8]) {
        expect(joined(bytes, {}, fraction)).toEqual(one);
        expect(await twoPass(bytes, {}, fraction)).toEqual(one);
      }
    });
  }

  it('the user types and date formats apply to the joined table', async () => {
    const bytes = encode(trickyCsv('\n'));
    const options: ParseOptions = { types: { int: 'number', cat: 'text' }, dateFormats: { date: 'dd/mm/yyyy' } };
    const one = await onePass(bytes, options);
    expect(joined(bytes, options, 0.5)).toEqual(one);
    expect(await twoPass(bytes, options, 0.5)).toEqual(one);
  });

  it('a text column with more levels than a category may have, counted over the whole file', async () => {
    const lines = ['k,v'];
    for (let i = 0; i < 400; i++) lines.push(`${i < 200 ? `a${i % 10}` : `b${i}`},${i}`);
    const bytes = encode(lines.join('\n'));
    const one = await onePass(bytes);
    expect((one as ReturnType<typeof snapshot>).columns[0]?.type).toBe('text');
    expect(joined(bytes, {}, 0.5)).toEqual(one);
    expect(await twoPass(bytes, {}, 0.5)).toEqual(one);
  });

  it('a one-column file with blank lines (missing values) is cut between non-blank lines only', async () => {
    const bytes = encode(['x', ...Array.from({ length: 60 }, (_, i) => (i % 4 === 1 || i % 4 === 2 ? '' : String(i)))].join('\n') + '\n\n');
    const one = await onePass(bytes);
    for (const fraction of [0.3, 0.5, 0.7]) {
      expect(joined(bytes, {}, fraction)).toEqual(one);
      expect(await twoPass(bytes, {}, fraction)).toEqual(one);
    }
  });

  it('a cut the quote count gets wrong (a stray quote, then a quoted line break) is read again in one pass', async () => {
    const lines = ['a,b', '1,ab"c'];
    for (let i = 0; i < 40; i++) lines.push(`${i},x${i}`);
    lines.push('50,"first', 'second"');
    for (let i = 0; i < 40; i++) lines.push(`${i},y${i}`);
    const bytes = encode(lines.join('\n'));
    const at = bytes.indexOf(0x0a, new TextDecoder().decode(bytes).indexOf('"first')) + 1;
    // splitPoint sees an even count of quotes at the line break inside the quoted field: the first part fails.
    expect(splitPoint(bytes, { minBytes: 0, fraction: (at - 1) / bytes.length })?.split).toBe(at);
    expect(await twoPass(bytes, {}, (at - 1) / bytes.length)).toEqual(await onePass(bytes));
  });

  it('a part that fails elsewhere, a header-only file, a file without a second line, a short file: as one pass', async () => {
    const bytes = encode(trickyCsv('\n'));
    const failed = await readTableSplit(bytes, 'f.csv', {}, {}, async () => null, { minBytes: 0 });
    expect(snapshot(failed)).toEqual(await onePass(bytes));
    for (const text of ['a,b,c\n', 'a,b,c', 'a,b\n1,2\n', 'a,b\n1,2', 'a,b\n1,"2\n3"\n']) {
      const small = encode(text);
      expect(splitPoint(small, { minBytes: 0 })).toBeNull();
      expect(await twoPass(small)).toEqual(await onePass(small));
    }
    const header = await twoPass(encode('a,b,c\n'));
    expect(header).toMatchObject({ code: 'header-only' });
    // Under the size worth cutting, a file is read in one pass.
    expect(splitPoint(bytes)).toBeNull();
  });

  it('a ragged row in the second part reports what one pass reports', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 50; i++) lines.push(i === 40 ? '1,2,3' : `${i},${i}`);
    const bytes = encode(lines.join('\n'));
    const one = await onePass(bytes);
    expect(one).toMatchObject({ code: 'ragged-row' });
    expect(await twoPass(bytes)).toEqual(one);
  });
});
