// Seeded random splits: a small PRNG, an in-place shuffle, and (stratified) train/test splits.
import { AppError } from './errors.ts';

/** A fast seeded PRNG returning floats in [0, 1). The same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle driven by the given generator. */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(arr: T, rng: () => number): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = arr[i];
    arr[i] = arr[j];
    arr[j] = tmp;
  }
  return arr;
}

/**
 * Splits row indices into train and test sets, both returned in ascending order.
 * With `strata` (a class index for each entry of `rows`), each class is split in the same proportion.
 */
export function splitRows(
  rows: Int32Array,
  testFraction: number,
  seed: number,
  strata?: Int32Array,
): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new AppError('bad-argument', `The test fraction must be between 0 and 1, got ${testFraction}`);
  }
  if (strata && strata.length !== rows.length) {
    throw new AppError('bad-argument', `Got ${strata.length} strata for ${rows.length} rows; they must match`);
  }
  const rng = mulberry32(seed);
  const isTest = new Uint8Array(rows.length);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = strata ? (strata[i] as number) : 0;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  for (const key of keys) {
    const group = shuffleInPlace(groups.get(key) as number[], rng);
    const take = Math.round(group.length * testFraction);
    for (let k = 0; k < take; k++) isTest[group[k] as number] = 1;
  }
  let nTest = 0;
  for (let i = 0; i < isTest.length; i++) nTest += isTest[i] as number;
  const train = new Int32Array(rows.length - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < rows.length; i++) {
    if (isTest[i]) test[b++] = rows[i] as number;
    else train[a++] = rows[i] as number;
  }
  return { train: train.sort(), test: test.sort() };
}
