// medianPresent (selection) equals the median of the sorted present values, on random data with ties and NaNs.
import { expect, it } from 'vitest';
import { medianOf, medianPresent, sortedPresent } from '../../../src/lib/pipeline/features/columns.ts';
it('medianPresent equals medianOf(sortedPresent(...))', () => {
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let t = 0; t < 300; t++) {
    const n = 1 + Math.floor(rnd() * 60);
    const vals = Float64Array.from({ length: n }, () => (rnd() < 0.1 ? NaN : Math.floor(rnd() * (t % 3 ? 5 : 1000))));
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const value = (r: number) => vals[r]!;
    expect(medianPresent(value, rows)).toBe(medianOf(sortedPresent(value, rows)));
  }
});
