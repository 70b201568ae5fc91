// Encodings: BOM and NUL-pattern detection, Windows-1252 fallback, decoding with an explicit choice.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding, firstInvalidUtf8, normalizeEncoding } from '../../../src/lib/pipeline/encoding.ts';
import { parseFile, parseFileDetailedSync } from '../../../src/lib/pipeline/parse.ts';
import { cellValue, getColumn } from '../../../src/lib/pipeline/table.ts';
import { catchAppError } from './helpers.ts';

const DIR = fileURLToPath(new URL('../../fixtures/encoding/', import.meta.url));
const load = (name: string) => new Uint8Array(readFileSync(DIR + name));

describe('detectEncoding', () => {
  it.each([
    ['utf16le-bom.csv', 'utf-16le', 1],
    ['utf16be-bom.csv', 'utf-16be', 1],
    ['utf16le.csv', 'utf-16le', 0.9],
    ['utf16be.csv', 'utf-16be', 0.9],
    ['utf8-bom.csv', 'utf-8', 1],
    ['windows-1252.csv', 'windows-1252', 0.8],
  ] as const)('%s is %s', (name, encoding, confidence) => {
    const guess = detectEncoding(load(name));
    expect(guess.encoding).toBe(encoding);
    expect(guess.confidence).toBe(confidence);
  });

  it('names the first byte that is not UTF-8', () => {
    const guess = detectEncoding(load('windows-1252.csv'));
    expect(guess.reason).toBe('byte 0xE9 at offset 19 is not valid UTF-8, so read as Windows-1252 (Latin-1)');
    expect(firstInvalidUtf8(load('windows-1252.csv'))).toBe(19);
  });

  it('tells plain ASCII from UTF-8 with accents, and accepts a sequence cut at the end', () => {
    expect(detectEncoding(new TextEncoder().encode('a,b\n1,2\n')).reason).toBe('plain ASCII, which reads the same in UTF-8');
    const cut = new TextEncoder().encode('x,é').subarray(0, 3); // "x," and the first byte of é
    expect(firstInvalidUtf8(cut)).toBe(-1);
    expect(detectEncoding(new TextEncoder().encode('é,€\n')).confidence).toBe(0.99);
  });

  it('resolves labels and refuses unknown ones', () => {
    expect(normalizeEncoding('Latin1')).toBe('windows-1252');
    expect(normalizeEncoding('UTF8')).toBe('utf-8');
    const e = catchAppError(() => normalizeEncoding('ebcdic', 'old.csv'));
    expect(e.message).toBe('Unknown text encoding "ebcdic" for old.csv; use one of utf-8, utf-16le, utf-16be, windows-1252 (or latin1)');
  });
});

describe('decoding imported files', () => {
  it.each(['utf16le-bom.csv', 'utf16be-bom.csv', 'utf16le.csv', 'utf16be.csv', 'windows-1252.csv', 'utf8-bom.csv'])(
    '%s reads é, ü and € (not as binary, despite the NULs of UTF-16)',
    (name) => {
      const result = parseFileDetailedSync(load(name), name);
      const t = result.table;
      expect(result.delimiter).toBe(';');
      expect(t.columns.map((c) => c.name)).toEqual(['name', 'price', 'city']);
      expect(cellValue(getColumn(t, 'name'), 0)).toBe('Café');
      expect(cellValue(getColumn(t, 'name'), 1)).toBe('Crème brûlée');
      expect(cellValue(getColumn(t, 'price'), 0)).toBe('3,50 €');
      expect(cellValue(getColumn(t, 'city'), 1)).toBe('Besançon');
    },
  );

  it('reports the guess and lets the user change it', () => {
    const bytes = load('windows-1252.csv');
    const guessed = parseFileDetailedSync(bytes, 'w.csv');
    expect(guessed.encoding).toBe('windows-1252');
    expect(guessed.encodingGuess?.confidence).toBe(0.8);
    const forced = parseFileDetailedSync(bytes, 'w.csv', { encoding: 'utf-8' });
    expect(forced.encoding).toBe('utf-8');
    expect(forced.encodingGuess).toBeUndefined();
    expect(cellValue(getColumn(forced.table, 'name'), 0)).toBe('Caf\uFFFD');
  });

  it('falls back to Windows-1252 when a bad byte comes after the first 64 KB', () => {
    const rows = Array.from({ length: 9000 }, (_, i) => `row${i},${i}`).join('\n');
    const tail = Uint8Array.from([...new TextEncoder().encode(`name,n\n${rows}\n`), 0x43, 0x61, 0x66, 0xe9, 0x2c, 0x31, 0x0a]);
    expect(tail.length).toBeGreaterThan(65536);
    const result = parseFileDetailedSync(tail, 'late.csv');
    expect(result.encoding).toBe('windows-1252');
    expect(cellValue(getColumn(result.table, 'name'), 9000)).toBe('Café');
  });

  it('a NUL in a file that is not UTF-16 is still binary', () => {
    const e = catchAppError(() => parseFile(Uint8Array.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32, 0x0a]), 'nul.csv'));
    expect(e.code).toBe('binary-file');
    expect(e.message).toBe('nul.csv looks like a binary file (binary data), not text');
  });

  it('decodeText drops the BOM', () => {
    expect(decodeText(load('utf16be-bom.csv'), 'utf-16be').slice(0, 4)).toBe('name');
  });
});
