// Rule suites on real files (movies, penguins): counts cross-checked against the raw JSON, and suggested suites.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { profileTable } from '../../../../src/lib/pipeline/profile.ts';
import { runSuite } from '../../../../src/lib/pipeline/quality/run-suite.ts';
import { suggestRules } from '../../../../src/lib/pipeline/quality/suggest.ts';
import type { Rule } from '../../../../src/lib/pipeline/quality/types.ts';
import { loadVega, VEGA } from '../helpers.ts';

type Record = { [key: string]: string | number | null };
const raw = (name: string): Record[] => JSON.parse(readFileSync(VEGA + name, 'utf8')) as Record[];

const movies = loadVega('movies.json');
const moviesRaw = raw('movies.json');
const END_2026 = Date.UTC(2026, 11, 31, 23, 59, 59, 999);

describe('movies.json', () => {
  const rules: Rule[] = [
    { id: 'dvd', kind: 'not-null', column: 'US DVD Sales', severity: 'warn' },
    { id: 'released', kind: 'in-range', column: 'Release Date', max: END_2026, severity: 'block' },
    { id: 'title-text', kind: 'matches-pattern', column: 'Title', pattern: '\\D', severity: 'warn' },
    { id: 'title-unique', kind: 'unique', column: 'Title', severity: 'warn' },
    { id: 'rows-unique', kind: 'no-duplicate-rows', severity: 'block' },
    { id: 'title-type', kind: 'has-type', column: 'Title', type: 'text', severity: 'block' },
  ];
  const report = runSuite(movies, { name: 'movies', version: 1, rules });
  const byId = (id: string) => report.rules.find((r) => r.id === id)!;

  it('counts the thousands of missing DVD sales', () => {
    const nulls = moviesRaw.filter((m) => m['US DVD Sales'] === null).length;
    expect(nulls).toBe(2637);
    expect(byId('dvd')).toMatchObject({ passed: false, failingCount: 2637, failingShare: 2637 / 3201 });
  });

  it('finds the release dates past 2026 and blocks', () => {
    const late = moviesRaw.flatMap((m, i) => (Date.parse(`${m['Release Date']} UTC`) > END_2026 ? [i + 1] : []));
    expect(late.length).toBe(16);
    const r = byId('released');
    expect(r.failingCount).toBe(16);
    expect(r.examples).toEqual([
      { row: 10, value: '2046-12-31' },
      { row: 17, value: '2044-08-01' },
      { row: 34, value: '2033-03-09' },
      { row: 91, value: '2046-11-21' },
      { row: 175, value: '2036-10-20' },
    ]);
    expect(r.examples.map((e) => e.row)).toEqual(late.slice(0, 5));
    expect(report.blocked).toBe(true);
  });

  it('shows numeric titles as the strings they are stored as', () => {
    const numeric = moviesRaw.flatMap((m, i) => (typeof m.Title === 'number' ? [i + 1] : []));
    const r = byId('title-text');
    expect(r.failingCount).toBe(numeric.length);
    expect(r.failingCount).toBe(9);
    expect(r.examples).toEqual([
      { row: 22, value: '1776' },
      { row: 23, value: '1941' },
      { row: 1069, value: '1408' },
      { row: 1075, value: '2012' },
      { row: 1076, value: '2046' },
    ]);
    expect(r.failingShare).toBe(9 / 3200); // one title is missing
    expect(byId('title-type').passed).toBe(true);
  });

  it('finds repeated titles but no repeated rows', () => {
    const seen = new Set<string>();
    let repeats = 0;
    for (const m of moviesRaw) {
      if (m.Title === null) continue;
      const key = String(m.Title);
      if (seen.has(key)) repeats++;
      seen.add(key);
    }
    expect(byId('title-unique')).toMatchObject({ failingCount: repeats, passed: false });
    expect(repeats).toBe(24);
    expect(byId('title-unique').examples[0]).toEqual({ row: 27, value: '20,000 Leagues Under the Sea' });
    expect(byId('rows-unique')).toMatchObject({ passed: true, failingCount: 0 });
  });

  it('passes every suggested rule on the data it was suggested from', () => {
    const suite = suggestRules(profileTable(movies), movies);
    const r = runSuite(movies, suite);
    expect(r.rules.filter((x) => !x.passed)).toEqual([]);
    expect(r.blocked).toBe(false);
    const source = suite.rules.find((x) => x.id === 'allowed-values:Source');
    expect(source?.kind === 'allowed-values' && source.values.length).toBe(18);
  });
});

describe('penguins.json', () => {
  const penguins = loadVega('penguins.json');
  const penguinsRaw = raw('penguins.json');

  it('fails allowed-values on the "." in Sex with that row as the example', () => {
    const dot = penguinsRaw.findIndex((p) => p.Sex === '.') + 1;
    expect(dot).toBe(337);
    const report = runSuite(penguins, {
      name: 'penguins',
      version: 2,
      rules: [
        { id: 'sex', kind: 'allowed-values', column: 'Sex', values: ['MALE', 'FEMALE'], severity: 'block' },
        { id: 'sex-mostly', kind: 'allowed-values', column: 'Sex', values: ['MALE', 'FEMALE'], mostly: 0.99, severity: 'block' },
        { id: 'sex-present', kind: 'not-null', column: 'Sex', mostly: 0.95, severity: 'warn' },
        { id: 'mass', kind: 'in-range', column: 'Body Mass (g)', min: 2500, max: 6500, severity: 'block' },
      ],
    });
    expect(report.rules[0]).toMatchObject({ passed: false, failingCount: 1, failingShare: 1 / 334, examples: [{ row: dot, value: '.' }] });
    expect(report.rules[1]).toMatchObject({ passed: true, failingCount: 1 });
    expect(report.rules[2]).toMatchObject({ passed: true, failingCount: 10 });
    expect(report.rules[2]?.examples.map((e) => e.row)).toEqual(
      penguinsRaw.flatMap((p, i) => (p.Sex === null ? [i + 1] : [])).slice(0, 5),
    );
    expect(report.rules[3]).toMatchObject({ passed: true, failingCount: 0 });
    expect(report.blocked).toBe(true);
  });

  it('suggests rules from the profile alone', () => {
    const suite = suggestRules(profileTable(penguins));
    expect(suite).toMatchObject({ name: 'Suggested checks', version: 1 });
    const ids = suite.rules.map((r) => r.id);
    expect(ids).toContain('not-null:Species');
    expect(ids).not.toContain('not-null:Sex');
    expect(suite.rules.find((r) => r.id === 'allowed-values:Sex')).toMatchObject({ values: ['MALE', 'FEMALE', '.'] });
    expect(suite.rules.find((r) => r.id === 'in-range:Body Mass (g)')).toMatchObject({ min: 2700, max: 6300 });
    expect(suite.rules.find((r) => r.id === 'has-type:Island')).toMatchObject({ type: 'category', severity: 'block' });
    expect(suite.rules.at(-1)).toEqual({ id: 'row-count-between', kind: 'row-count-between', min: 172, max: 516, severity: 'warn' });
    expect(runSuite(penguins, suite).rules.every((r) => r.passed)).toBe(true);
  });

  it('catches a changed file with the suggested suite', () => {
    const suite = suggestRules(profileTable(penguins));
    const half = { rowCount: 100, columns: penguins.columns.map((c) => ('values' in c ? { ...c, values: c.values.slice(0, 100) } : { ...c, codes: c.codes.slice(0, 100) })) };
    const report = runSuite(half, suite);
    expect(report.rules.filter((r) => !r.passed).map((r) => r.id)).toEqual(['row-count-between']);
    expect(report.blocked).toBe(false);
  });
});
