// flights-3m.parquet, January vs June (about half a million rows each, the whole file read with the repo's parser: ~8 s, kept apart from the quick drift tests): PSI about 0.01 and KS p below 1e-16, yet no dataset drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareTables } from '../../../src/lib/pipeline/drift/compare.ts';
import type { NumericFigures } from '../../../src/lib/pipeline/drift/types.ts';
import { parseFileAsync } from '../../../src/lib/pipeline/parse.ts';
import { DATA, rowsWhere } from './helpers.ts';

describe('flights-3m January vs June', () => {
  it('tiny distances with vanishing p-values are not dataset drift', { timeout: 120_000 }, async () => {
    const flights = await parseFileAsync(readFileSync(`${DATA}/flights-3m.parquet`), 'flights-3m.parquet');
    const date = flights.columns.find((c) => c.name === 'date') as { values: Float64Array };
    const month = (m: number) => rowsWhere(flights, (r) => new Date(date.values[r] as number).getUTCMonth() === m);
    const january = month(0);
    const june = month(5);
    expect(january.rowCount).toBeGreaterThan(400_000);
    expect(june.rowCount).toBeGreaterThan(400_000);
    const report = compareTables(january, june, { only: ['delay', 'distance', 'origin', 'destination'] });
    const delay = report.columns.find((c) => c.column === 'delay')!;
    const f = delay.figures as NumericFigures;
    expect(f.psi).toBeLessThan(0.05);
    expect(f.ksP).toBeLessThan(1e-16);
    expect(f.wassersteinNormed).toBeGreaterThan(0.05);
    expect(f.wassersteinNormed).toBeLessThan(0.1);
    expect(delay.drifted).toBe(false);
    expect(report.datasetDrift).toBe(false);
  });
});
