// Text encoding of imported files: detection from BOMs, NUL patterns and UTF-8 validity, and decoding.
import { AppError } from './errors.ts';

/** The encodings an imported text file can be read as. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** The encoding guess for a file, how sure it is (0–1) and why, in the user's words. */
export interface EncodingGuess {
  encoding: TextEncodingName;
  confidence: number;
  reason: string;
}

const SAMPLE = 4096;
const LABELS: Record<string, TextEncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
};

/**
 * Resolves an encoding label the user picked (utf-8, utf-16le, utf-16be, windows-1252, latin1, …).
 * Latin-1 reads as Windows-1252, as browsers do (the WHATWG Encoding standard maps one to the other).
 */
export function normalizeEncoding(label: string, fileName = ''): TextEncodingName {
  const name = LABELS[label.trim().toLowerCase()];
  if (name) return name;
  const known = 'utf-8, utf-16le, utf-16be, windows-1252 (or latin1)';
  throw new AppError('bad-argument', `Unknown text encoding "${label}"${fileName ? ` for ${fileName}` : ''}; use one of ${known}`, {
    file: fileName || undefined,
  });
}

/** The length of the byte-order mark at the start of `bytes` for this encoding (0 when there is none). */
export function bomLength(bytes: Uint8Array, encoding: TextEncodingName): number {
  if (encoding === 'utf-8') return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (encoding === 'utf-16le') return bytes[0] === 0xff && bytes[1] === 0xfe ? 2 : 0;
  if (encoding === 'utf-16be') return bytes[0] === 0xfe && bytes[1] === 0xff ? 2 : 0;
  return 0;
}

/** Index of the first byte that breaks UTF-8 in `bytes`, or -1; a sequence cut off at the end is allowed. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return -1;
  } catch {
    // Find the offending byte only when there is one: the decoder does not say where it failed.
  }
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1;
      if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Guesses the encoding of a text file from its first bytes: a BOM decides; NULs at every other byte mean
 * UTF-16 without a BOM; bytes that are not valid UTF-8 mean Windows-1252 (the usual Excel export).
 * Pass the whole file, or a prefix of it for a streamed file.
 * @example detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0x00])) // { encoding: 'utf-16le', confidence: 1, … }
 */
export function detectEncoding(bytes: Uint8Array): EncodingGuess {
  if (bomLength(bytes, 'utf-8')) return { encoding: 'utf-8', confidence: 1, reason: 'UTF-8 byte-order mark' };
  if (bomLength(bytes, 'utf-16le')) return { encoding: 'utf-16le', confidence: 1, reason: 'UTF-16 little-endian byte-order mark' };
  if (bomLength(bytes, 'utf-16be')) return { encoding: 'utf-16be', confidence: 1, reason: 'UTF-16 big-endian byte-order mark' };
  const end = Math.min(bytes.length, SAMPLE) & ~1;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < end; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = end / 2;
  if (pairs > 0 && oddNuls >= 0.3 * pairs && evenNuls <= 0.05 * pairs) {
    return { encoding: 'utf-16le', confidence: 0.9, reason: 'no byte-order mark, but every other byte is zero as in UTF-16 little-endian text' };
  }
  if (pairs > 0 && evenNuls >= 0.3 * pairs && oddNuls <= 0.05 * pairs) {
    return { encoding: 'utf-16be', confidence: 0.9, reason: 'no byte-order mark, but every other byte is zero as in UTF-16 big-endian text' };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = (bytes[bad] as number).toString(16).toUpperCase().padStart(2, '0');
    return { encoding: 'windows-1252', confidence: 0.8, reason: `byte 0x${hex} at offset ${bad} is not valid UTF-8, so read as Windows-1252 (Latin-1)` };
  }
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) >= 0x80) return { encoding: 'utf-8', confidence: 0.99, reason: 'valid UTF-8 with non-ASCII characters' };
  }
  return { encoding: 'utf-8', confidence: 1, reason: 'plain ASCII, which reads the same in UTF-8' };
}

/** Windows-1252 characters of bytes 0x80–0x9F (undefined bytes stay as their C1 control code). */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** The decoding half of TextDecoder, which is all the parsers use. */
export interface ChunkDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/**
 * Node's TextDecoder reads "windows-1252" as ISO-8859-1 (€ comes out as U+0080), browsers do not: map the
 * 0x80–0x9F range ourselves so that both agree. The encoding has one byte per character, so chunks need no state.
 */
class Windows1252Decoder implements ChunkDecoder {
  readonly #latin1 = new TextDecoder('latin1');

  decode(input?: Uint8Array): string {
    const text = this.#latin1.decode(input);
    return text.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] as string);
  }
}

/** A decoder for `encoding` that drops a leading BOM and replaces bad bytes with U+FFFD. */
export function createDecoder(encoding: TextEncodingName): ChunkDecoder {
  return encoding === 'windows-1252' ? new Windows1252Decoder() : new TextDecoder(encoding);
}

/** Decodes a whole file's bytes in the given encoding, without a BOM. */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  return createDecoder(encoding).decode(bytes);
}
