// Batch rules on an appended version compare only the rows the append added: seattle-weather's 2015 rows appended to its 2012 rows.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheckStage } from '../../../../src/lib/pipeline/check-stage.ts';
import { concatTables } from '../../../../src/lib/pipeline/concat-tables.ts';
import { parseFile } from '../../../../src/lib/pipeline/parse.ts';
import type { Rule } from '../../../../src/lib/pipeline/quality/types.ts';
import type { SpecCheck } from '../../../../src/lib/pipeline/spec/types.ts';
import type { DataTable } from '../../../../src/lib/pipeline/types.ts';

const FIXTURES = new URL('../../../fixtures/monitor/', import.meta.url);
const lines = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8').trim().split('\n');
const [header, ...older] = lines('seattle-2012-2013.csv');
const csv = (name: string, rows: string[]) => parseFile(new TextEncoder().encode([header, ...rows].join('\n') + '\n'), name);
const y2012 = csv('seattle-2012.csv', older.filter((line) => line.startsWith('2012')));
const y2015 = csv('seattle-2015.csv', lines('seattle-2015.csv').slice(1));
const appended = concatTables(y2012, y2015);

/** Population mean and std of a numeric column, and its mean shift in reference stds, computed here by hand. */
function shift(batch: DataTable, reference: DataTable, name: string): number {
  const values = (t: DataTable) => [...((t.columns.find((c) => c.name === name) as { values: Float64Array }).values)].filter((v) => !Number.isNaN(v));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ref = values(reference);
  const std = Math.sqrt(mean(ref.map((v) => (v - mean(ref)) ** 2)));
  return Math.abs(mean(values(batch)) - mean(ref)) / std;
}

const rules: Rule[] = [
  { id: 'rows', kind: 'row-count-change', maxChange: 0.5, severity: 'warn' },
  { id: 'wind', kind: 'mean-shift', column: 'wind', tolerance: 0.5, severity: 'warn' },
  { id: 'temp', kind: 'mean-shift', column: 'temp_max', tolerance: 0.2, severity: 'warn' },
  { id: 'range', kind: 'within-reference-range', column: 'temp_max', severity: 'warn' },
  { id: 'present', kind: 'not-null', column: 'weather', severity: 'warn' },
];
const spec: SpecCheck = { recipe: null, rules: { name: 'batch', version: 1, rules, reference: null }, privacy: [] };

describe('an appended version checked against its parent', () => {
  it('compares the 365 rows of 2015 with 2012, not the 731 rows of the appended version', async () => {
    expect([y2012.rowCount, y2015.rowCount, appended.rowCount]).toEqual([366, 365, 731]);
    const { check } = await runCheckStage(spec, { table: appended, reference: y2012, batchRows: y2015.rowCount });
    const byId = (id: string) => check.report.rules.find((r) => r.id === id)!;
    expect(check.report).toMatchObject({ rows: 731, referenceRows: 366, batchRows: 365 });
    // 365 vs 366 rows: −0.27%, where the whole version (+99.7%) failed every equal-size append.
    expect(byId('rows')).toMatchObject({ passed: true, observed: (365 - 366) / 366 });
    // The shifts are the batch's alone, cross-checked by hand; the whole version dilutes them with the reference itself.
    expect(byId('wind').observed).toBeCloseTo(shift(y2015, y2012, 'wind'), 12);
    expect(byId('temp').observed).toBeCloseTo(shift(y2015, y2012, 'temp_max'), 12);
    // temp_max: 0.30 reference stds in the batch alone (fails 0.2), 0.15 over the whole version (would pass).
    expect(byId('temp').observed!).toBeGreaterThan(1.9 * shift(appended, y2012, 'temp_max'));
    expect(shift(appended, y2012, 'temp_max')).toBeLessThan(0.2);
    expect(byId('temp').passed).toBe(false);
    // Cell rules against the reference count only the batch's cells; the examples keep their rows in the version.
    const range = byId('range');
    expect(range.failingCount).toBeGreaterThan(0);
    expect(range.examples.every((e) => e.row > 366)).toBe(true);
    const hot = appended.columns.find((c) => c.name === 'temp_max') as { values: Float64Array };
    expect(range.examples.map((e) => hot.values[e.row - 1])).toEqual(range.examples.map((e) => e.value));
    // Rules without a reference still check the whole version.
    expect(byId('present')).toMatchObject({ passed: true });
    // The batch's profile of the compared columns (for the charts) has the batch's rows.
    expect(check.batchProfile?.rows).toBe(365);
    const compared = new Set(check.report.rules.filter((r) => !r.passed && r.column).map((r) => r.column));
    expect(check.batchProfile?.columns.map((c) => c.name)).toEqual(appended.columns.map((c) => c.name).filter((name) => compared.has(name)));
  });

  it('finds the batch after a recipe that removes rows, and checks the whole table when nothing was appended', async () => {
    const recipe = { version: 1, steps: [{ kind: 'filter' as const, expression: 'd.precipitation == 0' }] };
    const { check, cleaned, sourceRows } = await runCheckStage({ ...spec, recipe }, { table: appended, reference: y2012, batchRows: 365 });
    const dryBatch = [...sourceRows!].filter((row) => row >= 366).length;
    expect(dryBatch).toBeGreaterThan(0);
    expect(check.report.batchRows).toBe(dryBatch);
    expect(cleaned.rowCount).toBeGreaterThan(dryBatch);
    const whole = await runCheckStage(spec, { table: y2015, reference: y2012 });
    expect(whole.check.report.batchRows).toBeUndefined();
    expect(whole.check.report.rules.find((r) => r.id === 'wind')?.observed).toBeCloseTo(shift(y2015, y2012, 'wind'), 12);
  });
});
