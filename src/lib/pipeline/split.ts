// Seeded splits: a small PRNG and shuffle, scikit-learn-identical (stratified) train/test splits, time splits, folds.
import { AppError } from './errors.ts';
import { NumpyRandomState } from './numpy-random.ts';

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
 * scikit-learn's `_approximate_mode`: each class's share of `draws` floored, the rest handed out by largest
 * remainder, ties among equal remainders broken by `choice(…, replace=False)` on the generator (which draws
 * from the stream even when every tied class is taken, so it must be replayed to stay in step).
 */
export function approximateMode(counts: number[], draws: number, random: NumpyRandomState): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const floored = continuous.map((v) => Math.floor(v));
  let need = draws - floored.reduce((a, b) => a + b, 0);
  if (need > 0) {
    const remainder = continuous.map((v, i) => v - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const tied = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const take = Math.min(tied.length, need);
      for (const k of random.choiceWithoutReplacement(tied.length, take)) floored[tied[k]!]! += 1;
      need -= take;
      if (need === 0) break;
    }
  }
  return floored;
}

/**
 * Splits row indices into train and test sets, both returned in ascending order, exactly as scikit-learn's
 * `train_test_split(X, y, test_size=testFraction, random_state=seed)` splits the positions of `rows`:
 * ceil(fraction × n) test rows; without `strata` a ShuffleSplit (the test rows are the head of numpy's
 * `RandomState(seed).permutation(n)`), with `strata` (one class per entry of `rows`; classes in ascending
 * order of their number, which must follow the sorted order of the class labels) a StratifiedShuffleSplit.
 * So a notebook's split of the same rows in the same order is reproduced row for row. The seed must be a
 * whole number from 0 to 2³²−1, as numpy takes it.
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
  const n = rows.length;
  const nTest = Math.ceil(testFraction * n);
  const nTrain = n - nTest;
  if (nTrain < 1) throw new AppError('too-few-rows', `${n} rows cannot be split into train and test rows at a test fraction of ${testFraction}`);
  const random = new NumpyRandomState(seed);
  const isTest = new Uint8Array(n);
  const isTrain = new Uint8Array(n);
  if (!strata) {
    const permutation = random.permutation(n);
    for (let k = 0; k < nTest; k++) isTest[permutation[k]!] = 1;
    isTrain.fill(1);
  } else {
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const key = strata[i]!;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(i);
    }
    const classes = [...groups.keys()].sort((a, b) => a - b).map((key) => groups.get(key)!);
    const counts = classes.map((members) => members.length);
    const trainCounts = approximateMode(counts, nTrain, random);
    const testCounts = approximateMode(counts.map((c, i) => c - trainCounts[i]!), nTest, random);
    classes.forEach((members, c) => {
      const permutation = random.permutation(members.length);
      const cut = trainCounts[c]!;
      for (let k = 0; k < cut; k++) isTrain[members[permutation[k]!]!] = 1;
      for (let k = cut; k < cut + testCounts[c]!; k++) isTest[members[permutation[k]!]!] = 1;
    });
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isTest[i]) test.push(rows[i]!);
    else if (isTrain[i]) train.push(rows[i]!);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/** Ascending order of `rows` by time, ties kept in row order; rows whose time is NaN are left out. */
function byTime(rows: Int32Array, times: Float64Array): Int32Array {
  if (times.length !== rows.length) {
    throw new AppError('bad-argument', `Got ${times.length} times for ${rows.length} rows; they must match`);
  }
  const order: number[] = [];
  for (let i = 0; i < rows.length; i++) if (!Number.isNaN(times[i])) order.push(i);
  order.sort((a, b) => (times[a] as number) - (times[b] as number) || (rows[a] as number) - (rows[b] as number));
  return Int32Array.from(order, (i) => rows[i] as number);
}

/**
 * Time-based split: train on the past, test on the most recent `testFraction` of the rows (by `times`, one
 * per entry of `rows`; rows with a missing time are left out). Both sets come back in ascending row order.
 */
export function timeSplit(rows: Int32Array, times: Float64Array, testFraction: number): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new AppError('bad-argument', `The test fraction must be between 0 and 1, got ${testFraction}`);
  }
  const ordered = byTime(rows, times);
  const nTest = Math.round(ordered.length * testFraction);
  const cut = ordered.length - nTest;
  return { train: ordered.slice(0, cut).sort(), test: ordered.slice(cut).sort() };
}

/**
 * K seeded folds for cross-validation: each fold's `test` is about 1/k of the rows and its `train` the rest.
 * With `strata` (one per entry of `rows`) each class is spread evenly over the folds.
 */
export function kFolds(rows: Int32Array, k: number, seed: number, strata?: Int32Array): { train: Int32Array; test: Int32Array }[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new AppError('bad-argument', `Cross-validation needs at least 2 folds, got ${k}`);
  if (rows.length < k) throw new AppError('too-few-rows', `${rows.length} rows cannot make ${k} folds`);
  if (strata && strata.length !== rows.length) {
    throw new AppError('bad-argument', `Got ${strata.length} strata for ${rows.length} rows; they must match`);
  }
  const rng = mulberry32(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = strata ? (strata[i] as number) : 0;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  }
  const fold = new Int32Array(rows.length);
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    for (const i of shuffleInPlace(groups.get(key) as number[], rng)) fold[i] = next++ % k;
  }
  return Array.from({ length: k }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < rows.length; i++) (fold[i] === f ? test : train).push(rows[i] as number);
    return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
  });
}

/**
 * K forward-chaining folds for time-ordered data: the rows sorted by time are cut into k + 1 blocks and fold
 * i trains on blocks 0…i and tests on block i + 1, so no fold looks into its own future.
 */
export function timeFolds(rows: Int32Array, times: Float64Array, k: number): { train: Int32Array; test: Int32Array }[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new AppError('bad-argument', `Cross-validation needs at least 2 folds, got ${k}`);
  const ordered = byTime(rows, times);
  if (ordered.length < k + 1) throw new AppError('too-few-rows', `${ordered.length} rows cannot make ${k} time folds`);
  const edge = (b: number) => Math.round((ordered.length * b) / (k + 1));
  return Array.from({ length: k }, (_, i) => ({
    train: ordered.slice(0, edge(i + 1)).sort(),
    test: ordered.slice(edge(i + 1), edge(i + 2)).sort(),
  }));
}
