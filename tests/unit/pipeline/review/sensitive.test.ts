// Sensitive groups against pandas (cut and qcut with duplicates="drop", computed by
// fairness-reference/make_fairness_reference.py with pandas 1.5) on the Palmer penguins, hand cases, the refusals,
// and the suggestions from names and values.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getColumn } from '../../../../src/lib/pipeline/table.ts';
import { profileTable } from '../../../../src/lib/pipeline/profile.ts';
import type { Column, DataTable, NumericColumn, StringColumn } from '../../../../src/lib/pipeline/types.ts';
import { cutLabels, groupsOf, MISSING_GROUP, nameWords, suggestSensitive, type SensitiveGroups } from '../../../../src/lib/pipeline/review/sensitive.ts';
import { catchAppError, loadVega } from '../helpers.ts';

interface Case {
  column: string;
  quantiles?: number;
  cuts: number[];
  rows: number[] | null;
  codes: number[];
}
interface SensitiveReference {
  cases: Case[];
  repeatedEdges: { values: (number | null)[]; quantiles: number; codes: number[]; cuts: number[] };
  sexSizes: Record<string, number>;
}

const ref = JSON.parse(readFileSync(new URL('./fairness-reference/sensitive.json', import.meta.url), 'utf8')) as SensitiveReference;
const penguins = loadVega('penguins.json');

function str(name: string, values: readonly (string | null)[]): StringColumn {
  const levels: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let k = levels.indexOf(v);
    if (k < 0) k = levels.push(v) - 1;
    return k;
  });
  return { name, type: 'category', codes, levels };
}

function num(name: string, values: readonly (number | null)[], type: NumericColumn['type'] = 'number'): NumericColumn {
  return { name, type, values: Float64Array.from(values, (v) => (v === null ? NaN : v)) };
}

/** pandas' codes (−1 for NaN) in our numbering (the missing group's index for NaN). */
function expectCodes(groups: SensitiveGroups, codes: number[]): void {
  expect(Array.from(groups.codes)).toEqual(codes.map((c) => (c < 0 ? groups.missingGroup : c)));
}

describe('groups against pandas', () => {
  it.each(ref.cases.map((c) => [`${c.column} ${c.quantiles ? `qcut ${c.quantiles}` : `cut ${c.cuts.join(',')}`}${c.rows ? ' (even rows)' : ''}`, c] as const))('%s', (_, c) => {
    const column = getColumn(penguins, c.column);
    const spec = c.quantiles ? { quantiles: c.quantiles } : { cuts: c.cuts };
    const groups = groupsOf(column, spec, c.rows ? Int32Array.from(c.rows) : undefined);
    expect(groups.kind).toBe(c.quantiles ? 'quantiles' : 'cuts');
    expect(groups.codes.length).toBe(c.rows ? c.rows.length : penguins.rowCount);
    expect(groups.cuts!.length).toBe(c.cuts.length);
    groups.cuts!.forEach((cut, k) => expect(Math.abs(cut - (c.cuts[k] as number))).toBeLessThan(1e-12));
    expectCodes(groups, c.codes);
    expect(groups.sizes.reduce((a, b) => a + b, 0)).toBe(groups.codes.length);
  });

  it('merges repeated quantile edges as qcut(duplicates="drop") does', () => {
    const { values, quantiles, codes, cuts } = ref.repeatedEdges;
    const groups = groupsOf(num('x', values), { quantiles });
    expect(groups.cuts).toEqual(cuts);
    expect(groups.labels).toEqual(['≤ 2.25', '> 2.25', MISSING_GROUP]);
    expectCodes(groups, codes);
  });

  it('labels cut groups "≤ a", "a–b", "> b", keeps empty ones, and puts missing values last', () => {
    const groups = groupsOf(getColumn(penguins, 'Body Mass (g)'), { cuts: [3500, 4500] });
    expect(groups.labels).toEqual(['≤ 3500', '3500–4500', '> 4500', MISSING_GROUP]);
    expect(groups.sizes.reduce((a, b) => a + b, 0)).toBe(344);
    expect(groups.sizes[3]).toBe(2);
    expect(groupsOf(num('age', [20, 30, 40, 50]), { cuts: [25, 100] }).sizes).toEqual([1, 3, 0]);
    expect(cutLabels(['25'])).toEqual(['≤ 25', '> 25']);
  });

  it('penguin Sex: one group per value, sorted by code point, the missing ones as "(missing)", the lone "." kept', () => {
    const groups = groupsOf(getColumn(penguins, 'Sex'));
    expect(groups.kind).toBe('category');
    expect(groups.labels).toEqual(['.', 'FEMALE', 'MALE', MISSING_GROUP]);
    expect(groups.missingGroup).toBe(3);
    expect(Object.fromEntries(groups.labels.map((l, g) => [l, groups.sizes[g]]))).toEqual(ref.sexSizes);
  });

  it('groups only the reviewed rows', () => {
    const rows = Int32Array.of(0, 1, 2, 3, 4);
    const groups = groupsOf(getColumn(penguins, 'Sex'), {}, rows);
    expect(groups.labels).toEqual(['FEMALE', 'MALE', MISSING_GROUP]);
    expect(Array.from(groups.codes)).toEqual([1, 0, 0, 2, 0]);
  });

  it('numbers without cuts: one group per value (numeric order), booleans as true/false', () => {
    const groups = groupsOf(num('children', [2, 10, 1, 2, null, 1]));
    expect(groups.labels).toEqual(['1', '2', '10', MISSING_GROUP]);
    expect(Array.from(groups.codes)).toEqual([1, 2, 0, 1, 3, 0]);
    expect(groupsOf(num('foreign', [1, 0, 0, 1], 'boolean')).labels).toEqual(['false', 'true']);
    expect(groupsOf(str('code', ['10', '9', '10'])).labels).toEqual(['9', '10']);
  });

  it('cuts a text column whose values are numbers, and labels date cuts as dates', () => {
    expect(Array.from(groupsOf(str('age', ['19', '40', '25']), { cuts: [25] }).codes)).toEqual([0, 1, 0]);
    const day = 86_400_000;
    const dates = groupsOf(num('joined', [0, 10 * day, 20 * day], 'date'), { cuts: [10 * day] });
    expect(dates.labels).toEqual(['≤ 1970-01-11', '> 1970-01-11']);
  });

  it('does not refuse a group of 3 rows (the fairness report marks it)', () => {
    const groups = groupsOf(str('g', ['a', 'a', 'a', ...Array<string>(40).fill('b')]));
    expect(groups.sizes).toEqual([3, 40]);
  });
});

describe('refusals name the column', () => {
  const age = num('age', [19, 40, 25, 61]);
  it.each<[string, Column, Parameters<typeof groupsOf>[1], Int32Array | undefined, string]>([
    ['every value missing', str('Sex', [null, null, null]), {}, undefined, 'The sensitive column "Sex" is missing in all 3 rows reviewed'],
    ['a numeric column all missing', num('age', [null, null]), { cuts: [25] }, undefined, '"age" is missing in all 2 rows'],
    ['one group', str('Sex', ['F', 'F', 'F']), {}, undefined, 'The sensitive column "Sex" has one value (F) in the 3 rows reviewed; a comparison needs at least two groups'],
    ['one group besides missing', str('Sex', ['F', null, 'F']), {}, undefined, 'has one value (F) in the 3 rows reviewed, besides 1 missing'],
    ['one group in the reviewed rows', str('Sex', ['F', 'M', 'F']), {}, Int32Array.of(0, 2), 'has one value (F) in the 2 rows reviewed'],
    ['cuts putting every value in one group', age, { cuts: [100] }, undefined, 'The sensitive column "age" has every value in one group (≤ 100)'],
    ['quantiles of a constant', num('age', [3, 3, 3, 3]), { quantiles: 4 }, undefined, 'has every value in one group'],
    ['cuts and quantiles', age, { cuts: [25], quantiles: 4 }, undefined, '"age" gives both cut points and quantile groups; choose one'],
    ['cuts that do not increase', age, { cuts: [30, 25] }, undefined, 'The cut points of "age" must increase: 30, 25'],
    ['a cut that is not a number', age, { cuts: [NaN] }, undefined, 'Cut point NaN of "age" is not a finite number'],
    ['no cuts', age, { cuts: [] }, undefined, '"age" has an empty list of cut points'],
    ['one quantile', age, { quantiles: 1 }, undefined, 'quantile groups of "age" must be a whole number from 2 to 20, got 1'],
    ['21 quantiles', age, { quantiles: 21 }, undefined, 'got 21'],
    ['too many numbers without cuts', num('income', Array.from({ length: 21 }, (_, i) => i)), {}, undefined, '"income" has more than 20 distinct numbers; give cut points (e.g. income:25) or quantile groups'],
    ['cuts on text', str('age', ['19', 'unknown', '25']), { cuts: [25] }, undefined, 'has the value "unknown" in row 2, which is not a number'],
    ['no rows', age, {}, new Int32Array(0), 'There are no rows to group by "age"'],
    ['a row outside the column', age, {}, Int32Array.of(0, 4), 'Row index 4 is outside the 4 rows of "age"'],
  ])('%s', (_, column, spec, rows, message) => {
    const error = catchAppError(() => groupsOf(column, spec, rows));
    expect(error.code).toBe('bad-argument');
    expect(error.message).toContain(message);
    expect(error.place.column).toBe(column.name);
  });
});

describe('suggestSensitive', () => {
  function table(columns: Column[]): DataTable {
    return { rowCount: Math.max(...columns.map((c) => ('codes' in c ? c.codes.length : c.values.length))), columns };
  }
  const x = (name: string) => num(name, [1, 2, 3]);

  it('reads names case-insensitively, short words only as whole words', () => {
    const names = [
      'Sex', 'gender_code', 'ApplicantGender', 'Age', 'customerAge', 'AGE_GROUP', 'age (years)', 'Date of birth', 'DOB',
      'Race', 'Ethnicity', 'ethnic_group', 'native-country', 'NativeCountry', 'Nationality', 'foreign_worker', 'citizenship',
      'MaritalStatus', 'marital-status', 'Religion', 'Disability', 'is_disabled',
    ];
    const negatives = ['Usage', 'Mortgage', 'page_views', 'Agent', 'Average', 'Essex', 'Sussex office', 'Storage', 'Message', 'Grace period', 'Trace id', 'Country'];
    const out = suggestSensitive(table([...names, ...negatives].map(x)));
    expect(out.map((s) => s.column)).toEqual(names);
    expect(Object.fromEntries(out.map((s) => [s.column, s.kind]))).toMatchObject({
      Sex: 'sex', gender_code: 'sex', ApplicantGender: 'sex', customerAge: 'age', AGE_GROUP: 'age', 'Date of birth': 'age', DOB: 'age',
      Race: 'race', ethnic_group: 'race', 'native-country': 'nationality', foreign_worker: 'nationality', MaritalStatus: 'marital',
      Religion: 'religion', is_disabled: 'disability',
    });
    expect(out[0]).toEqual({ column: 'Sex', kind: 'sex', why: 'the name "Sex" reads as sex or gender', spec: { column: 'Sex', quantiles: 4 } });
  });

  it('reads values: male/female, M/F, race, marital status and religion categories', () => {
    const out = suggestSensitive(
      table([
        str('col1', ['M', 'F', 'F']),
        str('who', ['male', 'female', 'other']),
        str('status', ['Married', 'Single', 'Divorced']),
        str('grp', ['White', 'Black', 'Asian']),
        str('faithful', ['Christian', 'Muslim', 'None']),
        str('size', ['M', 'L', 'S']),
        str('species', ['Adelie', 'Gentoo', 'Chinstrap']),
        str('flag', ['F', 'F', null]),
      ]),
    );
    expect(out.map((s) => [s.column, s.kind])).toEqual([
      ['col1', 'sex'],
      ['who', 'sex'],
      ['status', 'marital'],
      ['grp', 'race'],
      ['faithful', 'religion'],
    ]);
    expect(out[0]).toEqual({ column: 'col1', kind: 'sex', why: 'its values (M, F) read as sex or gender', spec: { column: 'col1' } });
  });

  it('suggests only Sex on the penguins, from a table or from its profile, and never picks anything', () => {
    const fromTable = suggestSensitive(penguins);
    expect(fromTable).toEqual([{ column: 'Sex', kind: 'sex', why: 'the name "Sex" reads as sex or gender', spec: { column: 'Sex' } }]);
    expect(suggestSensitive(profileTable(penguins))).toEqual(fromTable);
    const renamed = { ...penguins, columns: penguins.columns.map((c) => (c.name === 'Sex' ? { ...c, name: 'col7' } : c)) };
    expect(suggestSensitive(profileTable(renamed))).toEqual([{ column: 'col7', kind: 'sex', why: 'its values (MALE, FEMALE) read as sex or gender', spec: { column: 'col7' } }]);
    expect(suggestSensitive(penguins, { exclude: ['Sex'] })).toEqual([]);
  });

  it('splits names into words', () => {
    expect(nameWords('customerAgeGroup')).toEqual(['customer', 'age', 'group']);
    expect(nameWords('HTTPAge_2')).toEqual(['http', 'age', '2']);
    expect(nameWords('Usage')).toEqual(['usage']);
  });
});
