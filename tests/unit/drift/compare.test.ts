// compareWithSketch / compareTables on real data (seattle-weather 2012 vs 2015 against docs/baselines.md and scipy, unchanged and shifted random splits) and the verdict rules.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareTables, compareWithSketch } from '../../../src/lib/pipeline/drift/compare.ts';
import { driftJson } from '../../../src/lib/pipeline/drift/json.ts';
import { sketchTable } from '../../../src/lib/pipeline/drift/sketch.ts';
import type { CategoryFigures, NumericFigures } from '../../../src/lib/pipeline/drift/types.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';
import { readData, rowsWhere } from './helpers.ts';

const expected = JSON.parse(readFileSync('tests/fixtures/drift/expected.json', 'utf8')) as { seattle: Record<string, Record<string, number>> };
const seattle = readData('seattle-weather.csv');
const dates = seattle.columns.find((c) => c.name === 'date') as { values: Float64Array };
const year = (y: number) => rowsWhere(seattle, (r) => new Date(dates.values[r] as number).getUTCFullYear() === y);
const only = ['temp_max', 'temp_min', 'wind', 'precipitation', 'weather'];

describe('seattle-weather 2012 vs 2015', () => {
  const report = compareTables(year(2012), year(2015), { only });
  const column = (name: string) => report.columns.find((c) => c.column === name)!;

  it('has the figures of docs/baselines.md and scipy', () => {
    const baselines: Record<string, [number, number]> = { temp_max: [0.198, 0.153], temp_min: [0.118, 0.118], wind: [0.054, 0.076], precipitation: [0.039, 0.095] };
    for (const [name, [psi, ks]] of Object.entries(baselines)) {
      const f = column(name).figures as NumericFigures;
      expect(f.psi).toBeCloseTo(psi, 3);
      expect(f.ks).toBeCloseTo(ks, 3);
      for (const key of ['psi', 'ks', 'ksP', 'wasserstein', 'wassersteinNormed', 'jensenShannon'] as const) expect(f[key]).toBeCloseTo(expected.seattle[name]![key]!, 10);
    }
    const weather = column('weather').figures as CategoryFigures;
    expect(weather.psi).toBeCloseTo(0.838, 3);
    for (const key of ['psi', 'chi2', 'chi2P', 'jensenShannon'] as const) expect(weather[key]).toBeCloseTo(expected.seattle.weather![key]!, 10);
    expect(weather.vanishedCategories).toEqual(['snow']);
  });

  it('flags temp_max and the weather label, by the one rule and by the classic test', () => {
    for (const name of ['temp_max', 'weather']) {
      expect(column(name).drifted).toBe(true);
      expect(column(name).classic.drifted).toBe(true);
    }
    expect(column('temp_max')).toMatchObject({ method: 'wasserstein', status: 'compared', referenceRows: 366, currentRows: 365 });
    expect(column('temp_max').classic.method).toBe('ks');
    expect(column('weather').classic.method).toBe('chi2');
    // Both numbers of the rule are there; the bar is the larger one.
    for (const c of report.columns) expect(c.threshold).toBe(Math.max(c.practical, c.noise95 as number));
    // precipitation's KS p is 0.066: neither verdict calls it drift.
    expect(column('precipitation').drifted).toBe(false);
    expect(column('precipitation').classic.drifted).toBe(false);
  });

  it('is the same report again (seeded)', () => {
    expect(compareTables(year(2012), year(2015), { only })).toEqual(report);
  });

  it('drift.json has the issue shape', () => {
    const json = driftJson(report);
    expect(json.columns.temp_max).toMatchObject({ kind: 'number', drifted: true, method: 'wasserstein' });
    for (const key of ['psi', 'ks', 'ksP', 'wasserstein', 'wassersteinNormed', 'jensenShannon', 'noise95', 'practical']) expect(typeof (json.columns.temp_max as unknown as Record<string, unknown>)[key]).toBe('number');
    expect(json.columns.weather).toMatchObject({ kind: 'category', drifted: true, newCategories: [], vanishedCategories: ['snow'] });
    expect(typeof (json.columns.weather as { chi2P: number }).chi2P).toBe('number');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('random splits of real data', () => {
  const penguinsLike = readData('cars.json');
  const seeded = (seed: number) => {
    let a = seed;
    return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
  };

  it('an unchanged random split is not flagged (cars, seattle; 5 seeds each)', () => {
    for (const data of [penguinsLike, seattle]) {
      for (let seed = 1; seed <= 5; seed++) {
        const u = seeded(seed);
        const half = Array.from({ length: data.rowCount }, () => u() < 0.5);
        const report = compareTables(rowsWhere(data, (r) => half[r] as boolean), rowsWhere(data, (r) => !half[r]), { seed });
        expect(report.datasetDrift, `seed ${seed}: ${report.columns.filter((c) => c.drifted).map((c) => c.column)}`).toBe(false);
        expect(report.driftShare).toBeLessThanOrEqual(0.25);
      }
    }
  });

  it('a split on a column is flagged (cars made before 1976 vs after)', () => {
    const yearColumn = penguinsLike.columns.find((c) => c.name === 'Year') as { values: Float64Array };
    const cut = Date.UTC(1976, 0, 1);
    const report = compareTables(rowsWhere(penguinsLike, (r) => (yearColumn.values[r] as number) < cut), rowsWhere(penguinsLike, (r) => (yearColumn.values[r] as number) >= cut));
    expect(report.datasetDrift).toBe(true);
    const drifted = report.columns.filter((c) => c.drifted).map((c) => c.column);
    expect(drifted).toEqual(expect.arrayContaining(['Year', 'Miles_per_Gallon', 'Weight_in_lbs']));
  });

  it('a random half of seattle is not flagged; the same half with wind × 1.5 is, on wind only', () => {
    const u = seeded(11);
    const half = Array.from({ length: seattle.rowCount }, () => u() < 0.5);
    const sketch = sketchTable(rowsWhere(seattle, (r) => half[r] as boolean));
    const batch = rowsWhere(seattle, (r) => !half[r]);
    const shifted = { ...batch, columns: batch.columns.map((c) => (c.name === 'wind' && 'values' in c ? { ...c, values: c.values.map((v) => v * 1.5) } : c)) };
    const plain = compareWithSketch(sketch, batch, { only: ['wind', 'temp_max'] });
    const moved = compareWithSketch(sketch, shifted, { only: ['wind', 'temp_max'] });
    expect(plain.columns.map((c) => c.drifted)).toEqual([false, false]);
    expect(moved.columns.map((c) => c.drifted)).toEqual([true, false]);
  });
});

describe('the noise bar kept in the sketch', () => {
  it('is the one drawn at comparison, scaled to the batch; smaller batches and other seeds draw anew', () => {
    const reference = sketchTable(year(2012), { columns: only });
    expect(reference.columns.every((c) => c.noise?.draw === 5000 && c.noise.resamples === 100)).toBe(true);
    const bare = { ...reference, columns: reference.columns.map(({ noise: _noise, ...c }) => c) };
    // A batch of at least 5,000 values scales the stored bar; without it the same resamples are drawn.
    const big = rowsWhere(seattle, (r) => r % 1 === 0);
    const many: DataTable = { rowCount: big.rowCount * 4, columns: big.columns.map((c) => ('values' in c ? { ...c, values: Float64Array.from({ length: big.rowCount * 4 }, (_, i) => c.values[i % big.rowCount] as number) } : { ...c, codes: Int32Array.from({ length: big.rowCount * 4 }, (_, i) => c.codes[i % big.rowCount] as number) })) };
    const noise = (sketch: typeof reference, batch: DataTable, seed?: number) => compareWithSketch(sketch, batch, seed === undefined ? {} : { seed }).columns.map((c) => c.noise95);
    expect(many.rowCount).toBeGreaterThanOrEqual(5000);
    expect(noise(reference, many)).toEqual(noise(bare, many));
    expect(noise(reference, year(2015))).toEqual(noise(bare, year(2015)));
    expect(noise(reference, many, 7)).toEqual(noise(bare, many, 7));
    expect(noise(reference, many, 7)).not.toEqual(noise(reference, many));
  });
});
