// Text hashing for feature sets: word or character n-grams, FNV-1a (32-bit) over UTF-16 code units.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_RE = /[\p{L}\p{N}]+/gu;

/** FNV-1a, 32-bit, over the string's UTF-16 code units; the same text hashes the same everywhere. */
export function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The n-grams of a text, for every n in [min, max]: words joined by a space, or runs of characters. */
export function ngramsOf(text: string, tokens: 'word' | 'char', min: number, max: number, lowercase: boolean): string[] {
  const source = lowercase ? text.toLowerCase() : text;
  const units = tokens === 'word' ? (source.match(WORD_RE) ?? []) : Array.from(source);
  const out: string[] = [];
  const glue = tokens === 'word' ? ' ' : '';
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= units.length; i++) out.push(units.slice(i, i + n).join(glue));
  }
  return out;
}

/**
 * Adds log1p(count of the n-grams falling in each of `width` slots) for one text into `out` at `offset`.
 * Slots are `fnv1a(ngram) % width`.
 */
export function hashText(
  text: string,
  spec: { tokens: 'word' | 'char'; ngrams: [number, number]; width: number; lowercase: boolean },
  out: Float32Array,
  offset: number,
): void {
  const counts = new Map<number, number>();
  for (const gram of ngramsOf(text, spec.tokens, spec.ngrams[0], spec.ngrams[1], spec.lowercase)) {
    const slot = fnv1a(gram) % spec.width;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
  }
  for (const [slot, count] of counts) out[offset + slot] = Math.log1p(count);
}
