// Decimal digits straight into byte buffers for the CSV writer: whole numbers two digits at a time, fixed-width fractions, and the fewest decimals that read back as the same float32.
const ZERO = 48;

/** 10^k for k = 0…15, exact as doubles. */
export const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);
/** "00", "01", …, "99" as bytes. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** The digits of 0 ≤ n < 2^31 at `pos` in `buf` (which has room), two at a time; returns the position after them. */
export function writeUint31(buf: Uint8Array, pos: number, n: number): number {
  const len =
    n < 100000
      ? n < 100
        ? n < 10
          ? 1
          : 2
        : n < 1000
          ? 3
          : n < 10000
            ? 4
            : 5
      : n < 10000000
        ? n < 1000000
          ? 6
          : 7
        : n < 100000000
          ? 8
          : n < 1000000000
            ? 9
            : 10;
  const end = pos + len;
  let p = end;
  let m = n;
  while (m >= 100) {
    const q = (m / 100) | 0;
    const d = (m - q * 100) << 1;
    buf[--p] = DIGIT_PAIRS[d + 1] as number;
    buf[--p] = DIGIT_PAIRS[d] as number;
    m = q;
  }
  // The first one or two digits are at pos.
  if (m >= 10) {
    buf[pos + 1] = DIGIT_PAIRS[(m << 1) + 1] as number;
    buf[pos] = DIGIT_PAIRS[m << 1] as number;
  } else buf[pos] = ZERO + m;
  return end;
}

/** Exactly `k` digits of 0 ≤ n < 10^k (leading zeros kept, n < 2^31) at `pos`, two at a time; returns the position after them. */
export function writePadded(buf: Uint8Array, pos: number, n: number, k: number): number {
  let p = pos + k;
  let m = n;
  while (p - pos >= 2) {
    const q = (m / 100) | 0;
    const d = (m - q * 100) << 1;
    buf[--p] = DIGIT_PAIRS[d + 1] as number;
    buf[--p] = DIGIT_PAIRS[d] as number;
    m = q;
  }
  if (p > pos) buf[pos] = ZERO + m;
  return pos + k;
}

/** Whether a, rounded to `d` decimals, reads back as the same float32. */
function readsBack(a: number, d: number): boolean {
  const scale = POW10[d] as number;
  return Math.fround(Math.round(a * scale) / scale) === a;
}

/**
 * The fewest decimals (0…15) at which the float32 `a` (1e-6 ≤ a < 1e9) reads back as itself, or -1 when even 15
 * do not. A float32 needs at most 9 significant digits and usually 7 to 9, so the count of 7 significant digits
 * is tried first and then the two above it; more decimals never read back worse, so the first that does is the
 * fewest. Fewer than 7 (0.5, 0.25) are found by a binary search below.
 */
export function float32Decimals(a: number): number {
  // e: the decimal exponent, 10^e ≤ a < 10^(e+1) (off by one at an exact power is only slower, never wrong).
  let e = 0;
  if (a >= 1) {
    while (e < 8 && a >= (POW10[e + 1] as number)) e++;
  } else {
    let scaled = a * 10;
    e = -1;
    while (scaled < 1 && e > -7) {
      scaled *= 10;
      e--;
    }
  }
  const seven = Math.max(0, 6 - e);
  if (seven <= 15 && readsBack(a, seven)) {
    let lo = 0;
    let hi = seven;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (readsBack(a, mid)) hi = mid;
      else lo = mid + 1;
    }
    return hi;
  }
  for (let d = seven + 1; d <= Math.min(15, seven + 2); d++) if (readsBack(a, d)) return d;
  // Not expected for a float32; the search over every count below is the safe way (a · 10^d stays below 2^53).
  let hi = 15;
  while (hi > 0 && a * (POW10[hi] as number) >= 9007199254740992) hi--;
  if (!readsBack(a, hi)) return -1;
  let lo = Math.min(hi, seven + 3);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (readsBack(a, mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}
