// One split's gain against a hand computation, missing values routed to the side that gains more, and a categorical split.
import { describe, expect, it } from 'vitest';
import { BINS, SLOTS, newHistogram } from '../../../../src/lib/ml/gbdt/histogram.ts';
import { findBestSplit, inLeftBins, type SplitContext } from '../../../../src/lib/ml/gbdt/split.ts';
import { MISSING_BIN } from '../../../../src/lib/ml/gbdt/types.ts';
import { trainGbdt } from '../../../../src/lib/ml/gbdt/train.ts';
import { predictRaw } from '../../../../src/lib/ml/gbdt/predict.ts';

/** A one-column histogram from [bin, gradient sum, hessian sum, rows] entries, with its totals. */
function histogram(entries: [number, number, number, number][]): { hist: Float64Array; g: number; h: number; n: number } {
  const hist = newHistogram(1);
  let g = 0;
  let h = 0;
  let n = 0;
  for (const [bin, gb, hb, nb] of entries) {
    hist.set([gb, hb, nb], bin * SLOTS);
    g += gb;
    h += hb;
    n += nb;
  }
  expect(hist.length).toBe(BINS * SLOTS);
  return { hist, g, h, n };
}

function context(over: Partial<SplitContext>): SplitContext {
  return { columns: 1, valueBins: Int32Array.of(4), hasMissing: Uint8Array.of(0), categorical: Uint8Array.of(0), l2: 0, minSamplesLeaf: 20, minHessian: 1e-3, ...over };
}

describe('gbdt split finding', () => {
  const four = histogram([[0, -4, 2, 20], [1, -2, 2, 20], [2, 3, 2, 20], [3, 5, 2, 20]]);

  it('picks the threshold with the largest G²/(H+λ) gain, as computed by hand', () => {
    // Bin 0: 16/2 + 36/6 − 4/8 = 13.5; bin 1: 36/4 + 64/4 − 0.5 = 24.5; bin 2: 9/6 + 25/2 − 0.5 = 13.5.
    const split = findBestSplit(four.hist, context({}), four.g, four.h, four.n);
    expect(split).toMatchObject({ feature: 0, bin: 1, gradientLeft: -6, hessianLeft: 4, countLeft: 40, countRight: 40 });
    expect(split.gain).toBeCloseTo(24.5, 12);
    // With λ = 2: 36/6 + 64/6 − 4/10.
    expect(findBestSplit(four.hist, context({ l2: 2 }), four.g, four.h, four.n).gain).toBeCloseTo(6 + 64 / 6 - 0.4, 12);
  });

  it('keeps min_samples_leaf rows on each side, or finds no split', () => {
    expect(findBestSplit(four.hist, context({ minSamplesLeaf: 40 }), four.g, four.h, four.n).bin).toBe(1);
    expect(findBestSplit(four.hist, context({ minSamplesLeaf: 41 }), four.g, four.h, four.n).gain).toBe(-1);
  });

  it('sends missing values to the side whose gradients they resemble', () => {
    const ctx = context({ valueBins: Int32Array.of(2), hasMissing: Uint8Array.of(1) });
    // Missing rows look like bin 0: scanned right to left with missing on the left, (−11, 5) | (6, 3): 24.2 + 12 − 25/8.
    const likeLow = histogram([[0, -6, 3, 30], [1, 6, 3, 30], [MISSING_BIN, -5, 2, 20]]);
    const low = findBestSplit(likeLow.hist, ctx, likeLow.g, likeLow.h, likeLow.n);
    expect(low).toMatchObject({ bin: 0, missingLeft: true, countLeft: 50, countRight: 30 });
    expect(low.gain).toBeCloseTo(24.2 + 12 - 25 / 8, 12);
    const likeHigh = histogram([[0, -6, 3, 30], [1, 6, 3, 30], [MISSING_BIN, 5, 2, 20]]);
    expect(findBestSplit(likeHigh.hist, ctx, likeHigh.g, likeHigh.h, likeHigh.n)).toMatchObject({ bin: 0, missingLeft: false, countLeft: 30 });
    // Missing rows unlike both: the split between values and missing (all values left).
    const apart = histogram([[0, 1, 3, 30], [1, 1, 3, 30], [MISSING_BIN, -20, 2, 20]]);
    expect(findBestSplit(apart.hist, ctx, apart.g, apart.h, apart.n)).toMatchObject({ bin: 1, missingLeft: false, countLeft: 60 });
  });

  it('sends missing values to the larger child when training had none', () => {
    const x = Float64Array.from({ length: 60 }, (_, i) => i);
    const y = Float64Array.from({ length: 60 }, (_, i) => (i < 40 ? 0 : 12));
    const model = trainGbdt({ columns: [{ name: 'x', kind: 'numeric', values: x }], target: { kind: 'values', values: y } }, { maxIter: 1, learningRate: 1 });
    expect(model.trees[0]!.missingLeft[0]).toBe(1);
    const raw = predictRaw(model, [{ name: 'x', kind: 'numeric', values: Float64Array.of(NaN, 0, 59) }], 3);
    expect(Array.from(raw)).toEqual([raw[1], raw[1], raw[2]]);
    expect(raw[1]).toBeCloseTo(0, 12);
    expect(raw[2]).toBeCloseTo(12, 12);
  });

  it('splits categories by their sorted G/(H + 10): the best prefix goes left, whatever the bin order', () => {
    // Values: bin 0 10/30, bin 1 −30/30, bin 2 20/30, bin 3 −10/30 → order 1, 3, 0, 2; G = −10, H = 80.
    // Prefixes of at most half: {1} 900/20 + 400/60 − 100/80 = 50.42; {1, 3} 1600/40 + 900/40 − 1.25 = 61.25;
    // suffix {2} 400/20 + 900/60 − 1.25 = 33.75. Bins 1 and 3 are not neighbours: a threshold could not find this.
    const cats = histogram([[0, 10, 20, 20], [1, -30, 20, 20], [2, 20, 20, 20], [3, -10, 20, 20]]);
    const split = findBestSplit(cats.hist, context({ categorical: Uint8Array.of(1) }), cats.g, cats.h, cats.n);
    expect(split.gain).toBeCloseTo(40 + 22.5 - 1.25, 12);
    expect([0, 1, 2, 3, MISSING_BIN].map((b) => inLeftBins(split.leftBins!, b))).toEqual([false, true, false, true, false]);
    expect(split).toMatchObject({ countLeft: 40, countRight: 40, gradientLeft: -40, missingLeft: false });
  });

  it('leaves out of a categorical split the categories with fewer than 10 rows, and can send missing values left as a category', () => {
    // Bin 3 has 5 rows (left out, so it goes right); missing values (−40/30) sort first: {missing, 1} wins (123.7).
    const cats = histogram([[0, 10, 20, 20], [1, -30, 20, 20], [2, 20, 20, 20], [3, 0, 5, 5], [MISSING_BIN, -40, 20, 20]]);
    const ctx = context({ categorical: Uint8Array.of(1), hasMissing: Uint8Array.of(1) });
    const split = findBestSplit(cats.hist, ctx, cats.g, cats.h, cats.n);
    expect(inLeftBins(split.leftBins!, 3)).toBe(false);
    expect(inLeftBins(split.leftBins!, MISSING_BIN)).toBe(true);
    expect(split.missingLeft).toBe(true);
    expect(split.gain).toBeCloseTo(4900 / 40 + 900 / 45 - 1600 / 85, 12);
  });
});
