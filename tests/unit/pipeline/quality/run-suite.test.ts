// Each rule kind on small hand-made tables: exact failing counts, shares and example rows, mostly tolerance, severity.
import { describe, expect, it } from 'vitest';
import { runRule, runSuite } from '../../../../src/lib/pipeline/quality/run-suite.ts';
import type { Rule, RuleSuite } from '../../../../src/lib/pipeline/quality/types.ts';
import { catchAppError } from '../helpers.ts';
import { num, str, table } from './tables.ts';

const t = table(
  num('age', [34, null, 51, 17, 34, null, 140, 34, 22, 60], 'integer'),
  str('city', ['Oslo', 'Bergen', null, 'Oslo', 'oslo', 'Tromsø', 'Bergen', 'Oslo', 'Narvik', null]),
  str('email', ['a@x.no', 'b@x.no', 'c-at-x.no', 'd@x.no', null, 'f@x', 'g@x.no', 'a@x.no', 'i@x.no', 'j@x.no'], 'text'),
  num('score', [0.5, 0.25, 0.5, 1, -0, 0, NaN, 0.5, 2, 0.25]),
  num('member', [1, 0, 1, 1, 0, null, 1, 1, 0, 1], 'boolean'),
  num('joined', [Date.UTC(2020, 0, 1), Date.UTC(2031, 5, 2), null, Date.UTC(2019, 2, 3), Date.UTC(2020, 0, 1), 0, 0, 0, 0, 0], 'date'),
);

const run = (rule: Rule) => runRule(t, rule);

describe('not-null', () => {
  it('counts missing cells over all rows', () => {
    const r = run({ id: 'age-present', kind: 'not-null', column: 'age', severity: 'warn' });
    expect(r).toMatchObject({ passed: false, failingCount: 2, failingShare: 0.2, column: 'age', kind: 'not-null' });
    expect(r.examples).toEqual([{ row: 2, value: null }, { row: 6, value: null }]);
  });
  it('passes within mostly', () => {
    expect(run({ id: 'a', kind: 'not-null', column: 'age', mostly: 0.8, severity: 'block' }).passed).toBe(true);
    expect(run({ id: 'a', kind: 'not-null', column: 'age', mostly: 0.81, severity: 'block' }).passed).toBe(false);
    expect(run({ id: 'c', kind: 'not-null', column: 'city', mostly: 0.8, severity: 'warn' })).toMatchObject({ passed: true, failingCount: 2 });
  });
  it('fails a rule naming an unknown column with a message naming it', () => {
    const r = run({ id: 'x', kind: 'not-null', column: 'age ', severity: 'block' });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/^Rule not-null: unknown column "age "; columns are: "age", "city"/);
  });
});

describe('unique', () => {
  it('fails later repeats of numbers, skipping missing cells', () => {
    const r = run({ id: 'u', kind: 'unique', column: 'age', severity: 'warn' });
    expect(r).toMatchObject({ failingCount: 2, failingShare: 2 / 8 });
    expect(r.examples).toEqual([{ row: 5, value: 34 }, { row: 8, value: 34 }]);
  });
  it('treats -0 and 0 as one value', () => {
    const r = run({ id: 'u', kind: 'unique', column: 'score', severity: 'warn' });
    expect(r.failingCount).toBe(4); // 0.5 ×2, 0.25, 0
    expect(r.examples.map((e) => e.row)).toEqual([3, 6, 8, 10]);
  });
  it('compares strings exactly (case matters)', () => {
    const r = run({ id: 'u', kind: 'unique', column: 'city', severity: 'warn' });
    expect(r.examples).toEqual([{ row: 4, value: 'Oslo' }, { row: 7, value: 'Bergen' }, { row: 8, value: 'Oslo' }]);
    expect(r.failingShare).toBe(3 / 8);
  });
});

describe('in-range', () => {
  it('checks inclusive bounds on non-missing cells', () => {
    const r = run({ id: 'r', kind: 'in-range', column: 'age', min: 18, max: 120, severity: 'block' });
    expect(r).toMatchObject({ passed: false, failingCount: 2, failingShare: 0.25 });
    expect(r.examples).toEqual([{ row: 4, value: 17 }, { row: 7, value: 140 }]);
    expect(run({ id: 'r', kind: 'in-range', column: 'age', min: 17, max: 140, severity: 'block' }).passed).toBe(true);
    expect(run({ id: 'r', kind: 'in-range', column: 'age', min: 18, max: 120, mostly: 0.75, severity: 'block' }).passed).toBe(true);
  });
  it('takes one bound alone', () => {
    expect(run({ id: 'r', kind: 'in-range', column: 'age', max: 100, severity: 'warn' }).failingCount).toBe(1);
    expect(run({ id: 'r', kind: 'in-range', column: 'age', min: 18, severity: 'warn' }).failingCount).toBe(1);
  });
  it('compares dates as epoch ms and shows them as ISO dates', () => {
    const r = run({ id: 'd', kind: 'in-range', column: 'joined', max: Date.UTC(2026, 11, 31), severity: 'warn' });
    expect(r.examples).toEqual([{ row: 2, value: '2031-06-02' }]);
  });
  it('fails on a string column whatever mostly says', () => {
    const r = run({ id: 'r', kind: 'in-range', column: 'city', min: 0, mostly: 0, severity: 'warn' });
    expect(r).toMatchObject({ passed: false, failingCount: 8, failingShare: 1 });
    expect(r.message).toBe('Rule in-range: column "city" is category, not numeric');
  });
});

describe('allowed-values', () => {
  it('fails values outside the list, skipping missing cells', () => {
    const r = run({ id: 'a', kind: 'allowed-values', column: 'city', values: ['Oslo', 'Bergen', 'Tromsø'], severity: 'block' });
    expect(r).toMatchObject({ failingCount: 2, failingShare: 0.25, passed: false });
    expect(r.examples).toEqual([{ row: 5, value: 'oslo' }, { row: 9, value: 'Narvik' }]);
  });
  it('matches numbers and booleans by their text', () => {
    expect(run({ id: 'a', kind: 'allowed-values', column: 'age', values: ['34', '51', '22'], severity: 'warn' }).examples).toEqual([
      { row: 4, value: 17 },
      { row: 7, value: 140 },
      { row: 10, value: 60 },
    ]);
    const b = run({ id: 'b', kind: 'allowed-values', column: 'member', values: ['true'], severity: 'warn' });
    expect(b.failingCount).toBe(3);
    expect(b.examples[0]).toEqual({ row: 2, value: 'false' });
  });
});

describe('matches-pattern', () => {
  it('searches the pattern in each value', () => {
    const r = run({ id: 'p', kind: 'matches-pattern', column: 'email', pattern: '^[^@]+@[^@]+\\.[a-z]+$', severity: 'warn' });
    expect(r).toMatchObject({ failingCount: 2, failingShare: 2 / 9 });
    expect(r.examples).toEqual([{ row: 3, value: 'c-at-x.no' }, { row: 6, value: 'f@x' }]);
    expect(run({ id: 'p', kind: 'matches-pattern', column: 'email', pattern: '@', severity: 'warn' }).failingCount).toBe(1);
  });
  it('matches numbers by their text', () => {
    expect(run({ id: 'p', kind: 'matches-pattern', column: 'age', pattern: '^\\d\\d$', severity: 'warn' }).examples).toEqual([{ row: 7, value: 140 }]);
  });
  it('throws bad-argument naming the rule for an invalid pattern', () => {
    const e = catchAppError(() => run({ id: 'mail', kind: 'matches-pattern', column: 'email', pattern: '(', severity: 'warn' }));
    expect(e.code).toBe('bad-argument');
    expect(e.message).toMatch(/^Rule mail: invalid pattern \/\(\//);
  });
});

describe('has-type', () => {
  it('passes the same type, and number for integer columns', () => {
    expect(run({ id: 'h', kind: 'has-type', column: 'age', type: 'integer', severity: 'block' }).passed).toBe(true);
    expect(run({ id: 'h', kind: 'has-type', column: 'age', type: 'number', severity: 'block' }).passed).toBe(true);
  });
  it('fails another type with every non-missing cell', () => {
    const r = run({ id: 'h', kind: 'has-type', column: 'score', type: 'integer', severity: 'block' });
    expect(r).toMatchObject({ passed: false, failingCount: 9, failingShare: 1, message: 'Rule has-type: column "score" is number, expected integer' });
    expect(r.examples.map((e) => e.row)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('row-count-between', () => {
  it('checks the bounds, inclusive', () => {
    expect(run({ id: 'n', kind: 'row-count-between', min: 10, max: 10, severity: 'block' }).passed).toBe(true);
    expect(run({ id: 'n', kind: 'row-count-between', min: 11, severity: 'block' })).toMatchObject({
      passed: false,
      failingShare: 1,
      message: 'Rule row-count-between: the table has 10 rows, expected at least 11',
    });
    expect(run({ id: 'n', kind: 'row-count-between', max: 9, severity: 'block' }).message).toMatch(/expected at most 9$/);
  });
  it('throws bad-argument when min is above max', () => {
    expect(catchAppError(() => run({ id: 'n', kind: 'row-count-between', min: 5, max: 4, severity: 'warn' })).code).toBe('bad-argument');
  });
});

describe('no-duplicate-rows', () => {
  const d = table(
    num('a', [1, 1, NaN, NaN, 2, 1, -0, 0]),
    str('b', ['x', 'x', null, null, 'y', 'z', 'x', 'x']),
  );
  it('fails rows that repeat an earlier one, missing equal to missing', () => {
    const r = runRule(d, { id: 'd', kind: 'no-duplicate-rows', severity: 'warn' });
    expect(r).toMatchObject({ failingCount: 3, failingShare: 3 / 8 });
    expect(r.examples).toEqual([
      { row: 2, value: 'same as row 1' },
      { row: 4, value: 'same as row 3' },
      { row: 8, value: 'same as row 7' },
    ]);
  });
  it('looks only at the given columns', () => {
    expect(runRule(d, { id: 'd', kind: 'no-duplicate-rows', columns: ['b'], severity: 'warn' }).failingCount).toBe(4);
    expect(runRule(d, { id: 'd', kind: 'no-duplicate-rows', columns: ['b'], mostly: 0.5, severity: 'warn' }).passed).toBe(true);
    expect(runRule(d, { id: 'd', kind: 'no-duplicate-rows', columns: ['b', 'c'], severity: 'warn' }).message).toMatch(/^Rule no-duplicate-rows: unknown column "c"/);
  });
});

describe('runSuite', () => {
  const suite = (rules: Rule[]): RuleSuite => ({ name: 'people', version: 3, rules });
  it('blocks only when a block rule fails', () => {
    const warnOnly = runSuite(t, suite([{ id: 'a', kind: 'not-null', column: 'age', severity: 'warn' }]));
    expect(warnOnly).toMatchObject({ suite: 'people', version: 3, rows: 10, blocked: false });
    const blocking = runSuite(t, suite([
      { id: 'a', kind: 'not-null', column: 'age', severity: 'warn' },
      { id: 'b', kind: 'in-range', column: 'age', min: 0, max: 150, severity: 'block' },
      { id: 'c', kind: 'allowed-values', column: 'city', values: ['Oslo'], severity: 'block' },
    ]));
    expect(blocking.rules.map((r) => r.passed)).toEqual([false, true, false]);
    expect(blocking.blocked).toBe(true);
  });
  it('keeps at most 5 examples, in row order', () => {
    const many = table(num('v', Array.from({ length: 100 }, (_, i) => i)));
    const r = runSuite(many, suite([{ id: 'r', kind: 'in-range', column: 'v', max: 10, severity: 'warn' }])).rules[0];
    expect(r?.failingCount).toBe(89);
    expect(r?.examples.map((e) => e.row)).toEqual([12, 13, 14, 15, 16]);
  });
  it('rejects duplicate ids and mostly outside 0..1', () => {
    const rule: Rule = { id: 'a', kind: 'not-null', column: 'age', severity: 'warn' };
    expect(catchAppError(() => runSuite(t, suite([rule, rule]))).message).toBe('Rule a: the id is used by another rule of the suite');
    expect(catchAppError(() => runSuite(t, suite([{ ...rule, mostly: 1.5 }]))).message).toBe('Rule a: mostly must be between 0 and 1, not 1.5');
  });
  it('runs on an empty table', () => {
    const r = runSuite(table(num('v', [])), suite([{ id: 'u', kind: 'unique', column: 'v', severity: 'block' }, { id: 'd', kind: 'no-duplicate-rows', severity: 'block' }]));
    expect(r.blocked).toBe(false);
  });
});
