// cleanForScoring narrows a selection of rows instead of copying the table per step: the same table, input rows and rejects (file order, step reasons) as the steps run one at a time on whole tables.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { evaluateParsedRows, parseRowExpression } from '../../../src/lib/pipeline/quality/expression.ts';
import { firstEqualRows, firstEqualSelected } from '../../../src/lib/pipeline/quality/row-hash.ts';
import { runRecipe } from '../../../src/lib/pipeline/recipe/apply.ts';
import type { RecipeStep } from '../../../src/lib/pipeline/recipe/types.ts';
import { cleanForScoring, type CleanedForScoring } from '../../../src/lib/pipeline/score-input.ts';
import type { DataTable } from '../../../src/lib/pipeline/types.ts';

/** The former cleanForScoring: each step on the whole table the previous one made. */
async function stepByStep(table: DataTable, steps: readonly RecipeStep[]): Promise<CleanedForScoring> {
  let current = table;
  let rows: Int32Array | null = null;
  const byRow = new Map<number, number>();
  for (const [index, step] of steps.entries()) {
    const run = await runRecipe(current, [step]);
    if (run.rows) {
      const kept = new Set(run.rows);
      for (let r = 0; r < current.rowCount; r++) if (!kept.has(r)) byRow.set(rows ? (rows[r] as number) : r, index);
      const outer: Int32Array | null = rows;
      rows = outer ? run.rows.map((r) => outer[r] as number) : run.rows;
    }
    current = run.table;
  }
  const rejectRows = Int32Array.from([...byRow.keys()].sort((a, b) => a - b));
  return { table: current, rows, rejects: { rows: rejectRows, step: rejectRows.map((r) => byRow.get(r) as number), reasons: [] } };
}

/** Rows with repeats far apart, missing cells, a category, a date and an integer that becomes a number when imputed. */
function data(n: number): DataTable {
  const lines = ['a,b,c,d,n'];
  for (let i = 0; i < n; i++) {
    const k = i % 37 === 5 ? i - 30 : i % 11 === 3 ? i - 1 : i; // rows equal to earlier ones, some far back
    const a = k % 7 === 2 ? '' : String((k * 13) % 50);
    const b = ['x', 'y', '', 'z'][k % 4];
    const c = k % 5 === 1 ? '' : ((k * 0.37) % 9).toFixed(2);
    lines.push(`${a},${b},${c},2024-01-${String((k % 28) + 1).padStart(2, '0')},${k % 13 === 0 ? '' : k % 6}`);
  }
  return parseCsv(lines.join('\n') + '\n', 'rows.csv');
}

const cases: [string, RecipeStep[]][] = [
  ['dedupe, impute, filter (the bench recipe)', [{ kind: 'drop-duplicates' }, { kind: 'impute', columns: ['c'], method: 'median' }, { kind: 'filter', expression: 'd => d.a >= 10' }]],
  ['filter first, then dedupe on some columns', [{ kind: 'filter', expression: "d => d.b != 'z'" }, { kind: 'drop-duplicates', columns: ['a', 'b'] }]],
  ['drop-missing any / all around an impute', [{ kind: 'drop-missing', columns: ['a', 'b'], how: 'all' }, { kind: 'impute', columns: ['n'], method: 'mean' }, { kind: 'drop-missing', columns: ['a', 'c'] }]],
  ['a filter with an aggregate (over the rows kept so far)', [{ kind: 'drop-duplicates' }, { kind: 'filter', expression: 'd => d.c > op.mean(d.c)' }]],
  ['a date filter after a cell step', [{ kind: 'replace', columns: ['b'], from: ['y'], to: null }, { kind: 'drop-missing', columns: ['b'] }, { kind: 'filter', expression: 'd => op.utcdate(d.d) > 10' }]],
  ['steps that keep every row', [{ kind: 'filter', expression: 'd => true' }, { kind: 'impute', columns: ['a'], method: 'constant', value: 0 }]],
  // The impute sees only the rows kept: n's gaps are all dropped first, so it fills nothing and n stays an integer column.
  ['an impute whose column has gaps only in rows dropped before', [{ kind: 'drop-missing', columns: ['n'] }, { kind: 'impute', columns: ['n', 'b'], method: 'mode' }, { kind: 'filter', expression: 'd => d.a > 5' }]],
];

describe('cleanForScoring', () => {
  for (const [name, steps] of cases) {
    it(`equals the steps run one at a time on whole tables: ${name}`, async () => {
      const table = data(700);
      const expected = await stepByStep(table, steps);
      const got = await cleanForScoring(table, steps);
      expect(got.table).toEqual(expected.table);
      expect(got.rows).toEqual(expected.rows);
      expect(got.rejects.rows).toEqual(expected.rejects.rows);
      expect(got.rejects.step).toEqual(expected.rejects.step);
      expect(got.rejects.reasons).toHaveLength(steps.length);
    });
  }

  it('keeps the first of rows repeated across the file and names the step of each reject, in file order', async () => {
    const table = parseCsv('a,b\n1,x\n2,y\n1,x\n3,\n2,y\n4,z\n1,x\n', 'r.csv');
    const steps: RecipeStep[] = [{ kind: 'drop-duplicates' }, { kind: 'drop-missing', columns: ['b'] }, { kind: 'filter', expression: 'd => d.a < 4' }];
    const got = await cleanForScoring(table, steps);
    expect(Array.from(got.rows ?? [])).toEqual([0, 1]);
    expect(Array.from(got.rejects.rows)).toEqual([2, 3, 4, 5, 6]);
    expect(Array.from(got.rejects.step, (s) => got.rejects.reasons[s])).toEqual([
      'Step 1 (drop-duplicates): Drop duplicate rows',
      'Step 2 (drop-missing): Drop rows missing b',
      'Step 1 (drop-duplicates): Drop duplicate rows',
      'Step 3 (filter): Keep rows where d => d.a < 4',
      'Step 1 (drop-duplicates): Drop duplicate rows',
    ]);
  });

  it('refuses a bad step as the step-at-a-time run did', async () => {
    const table = data(20);
    await expect(cleanForScoring(table, [{ kind: 'filter', expression: 'd => d.nope > 1' }])).rejects.toMatchObject({ code: 'bad-expression' });
    await expect(cleanForScoring(table, [{ kind: 'drop-missing', columns: ['nope'] }])).rejects.toMatchObject({ code: 'unknown-column' });
  });
});

describe('row selections', () => {
  it('firstEqualSelected is firstEqualRows of the gathered rows', () => {
    const table = data(300);
    const rows = Int32Array.from({ length: 150 }, (_, i) => (i * 7) % 300);
    const gathered = table.columns.map((c) => ('codes' in c ? { ...c, codes: rows.map((r) => c.codes[r] as number) } : { ...c, values: Float64Array.from(rows, (r) => c.values[r] as number) }));
    expect(firstEqualSelected(table.columns, rows)).toEqual(firstEqualRows(gathered, rows.length));
  });

  it('evaluateParsedRows reads the rows asked for, and declines aggregates', () => {
    const table = data(50);
    const names = table.columns.map((c) => c.name);
    const rows = Int32Array.from([3, 1, 40, 7]);
    const all = evaluateParsedRows(table, parseRowExpression('d => d.a > 20', names), null) as Uint8Array;
    expect(evaluateParsedRows(table, parseRowExpression('d => d.a > 20', names), rows)).toEqual(Uint8Array.from(rows, (r) => all[r] as number));
    expect(evaluateParsedRows(table, parseRowExpression('d => d.a > op.mean(d.a)', names), rows)).toBeNull();
  });
});
