// An import read in two halves (the second parsed "elsewhere", here in this thread) gives the ParseResult of one pass: the same table, notes, guesses and date formats.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSource, type ReadControl } from '../../../src/lib/pipeline/read-source.ts';
import { readCsvPart, type ReadElsewhere } from '../../../src/lib/pipeline/score-read.ts';
import type { ParseResult } from '../../../src/lib/pipeline/parse-result.ts';
import type { Column } from '../../../src/lib/pipeline/types.ts';

const control: ReadControl = { cancelled: () => false, onBytes: () => undefined };
/** The second half parsed by the same function the helper Worker runs; `parts` counts the calls. */
function elsewhere(): ReadElsewhere & { parts: number } {
  const parse = Object.assign(async (bytes: Iterable<Uint8Array>, options: Parameters<ReadElsewhere>[1]) => {
    parse.parts++;
    return readCsvPart(bytes, 'part', options);
  }, { parts: 0 });
  return parse;
}
const split = { minBytes: 0, searchBytes: 1 << 20 };

async function both(name: string, bytes: Uint8Array) {
  const source = { name, blob: new Blob([bytes as Uint8Array<ArrayBuffer>]) };
  const other = elsewhere();
  const halves = await readSource(source, {}, control, { parseElsewhere: other, split });
  const whole = await readSource(source, {}, control);
  return { halves, whole, parts: other.parts };
}

/** The two reads' results alike: every field, and each column's name, type, levels and cells (compared as bytes). */
function expectSame(a: ParseResult, b: ParseResult): void {
  expect({ ...a, table: null }).toEqual({ ...b, table: null });
  expect(a.table.rowCount).toBe(b.table.rowCount);
  expect(a.table.columns.map((c) => [c.name, c.type, 'levels' in c ? c.levels : null])).toEqual(b.table.columns.map((c) => [c.name, c.type, 'levels' in c ? c.levels : null]));
  a.table.columns.forEach((column, k) => {
    const cells = (c: Column) => ('codes' in c ? c.codes : c.values);
    const [x, y] = [cells(column), cells(b.table.columns[k]!)];
    expect(Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)), column.name).toBe(0);
  });
}

const repeat = (text: string, times: number) => Array.from({ length: times }, () => text).join('');

describe('an import read in two halves', () => {
  it('equals one pass on seattle-weather: columns, types, date formats, notes', async () => {
    const { halves, whole, parts } = await both('seattle-weather.csv', readFileSync('node_modules/vega-datasets/data/seattle-weather.csv'));
    expect(parts).toBe(1);
    expect(halves.sha256).toBe(whole.sha256);
    expectSame(halves.result, whole.result);
  });

  it('equals one pass with a semicolon delimiter and decimal commas (the guesses are kept)', async () => {
    const { halves, whole, parts } = await both('eu.csv', readFileSync('tests/fixtures/decimal/seattle-weather-eu.csv'));
    expect(parts).toBe(1);
    expect(whole.result.guessed!.length).toBeGreaterThan(0);
    expectSame(halves.result, whole.result);
  });

  it('counts characters that are not valid UTF-8 in both halves, and keeps the renamed header note', async () => {
    const head = new TextEncoder().encode('a,a,b\n');
    // Past the first MiB (where the encoding is guessed: a bad byte there would make it windows-1252).
    const good = new TextEncoder().encode(repeat('1,2,x\n', 180_000));
    const some = new TextEncoder().encode(repeat('1,2,x\n', 30_000));
    const bad = Uint8Array.of(0x31, 0x2c, 0x32, 0x2c, 0xff, 0x0a);
    const pieces = [head, good, bad, some, bad, good, bad];
    const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of pieces) {
      bytes.set(part, at);
      at += part.length;
    }
    const { halves, whole, parts } = await both('bad-bytes.csv', bytes);
    expect(parts).toBe(1);
    expect(whole.result.notes.join('\n')).toMatch(/3 characters were not valid UTF-8/);
    expect(whole.result.notes.join('\n')).toMatch(/Renamed duplicate column "a" to "a_2"/);
    expectSame(halves.result, whole.result);
  });

  it('falls back to one pass when the cut lands in a quoted field, and reports a ragged line as one pass does', async () => {
    const quoted = `id,text\n${repeat('1,"one\ntwo"\n', 3000)}`;
    const a = await both('quoted.csv', new TextEncoder().encode(quoted));
    expectSame(a.halves.result, a.whole.result);
    const ragged = new TextEncoder().encode(`id,x\n${repeat('1,2\n', 3000)}1,2,3\n${repeat('1,2\n', 10)}`);
    const source = { name: 'ragged.csv', blob: new Blob([ragged]) };
    const [oneError, twoError] = await Promise.all([
      readSource(source, {}, control).catch((e: Error) => e.message),
      readSource(source, {}, control, { parseElsewhere: elsewhere(), split }).catch((e: Error) => e.message),
    ]);
    expect(oneError).toMatch(/line 3002/);
    expect(twoError).toBe(oneError);
  });

  it('stops on a cancel', async () => {
    const bytes = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv');
    const cancelling: ReadControl = { cancelled: () => true, onBytes: () => undefined };
    await expect(readSource({ name: 's.csv', blob: new Blob([bytes]) }, {}, cancelling, { parseElsewhere: elsewhere(), split })).rejects.toMatchObject({ code: 'cancelled' });
  });
});
