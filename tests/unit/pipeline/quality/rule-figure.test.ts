// A rule's figure is the same in the report's table and its chart: table-level rules that fail show 100% and 'whole table', never 0% and 0.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../../src/lib/pipeline/parse.ts';
import { figureRows, ruleFigure } from '../../../../src/lib/pipeline/quality/rule-figure.ts';
import { runSuite } from '../../../../src/lib/pipeline/quality/run-suite.ts';
import type { Rule } from '../../../../src/lib/pipeline/quality/types.ts';

const read = (name: string) => parseFile(readFileSync(new URL(`../../../fixtures/monitor/${name}`, import.meta.url)), name);
const reference = read('seattle-2015.csv');
const batch = read('seattle-2012-2013.csv');

const rules: Rule[] = [
  { id: 'rows', kind: 'row-count-change', maxChange: 0.5, severity: 'warn' },
  { id: 'temp-shift', kind: 'mean-shift', column: 'temp_max', tolerance: 0.1, severity: 'warn' },
  { id: 'wind-shift', kind: 'mean-shift', column: 'wind', tolerance: 5, severity: 'warn' },
  { id: 'range', kind: 'within-reference-range', column: 'temp_min', severity: 'warn' },
  { id: 'weather', kind: 'not-null', column: 'weather', severity: 'warn' },
  { id: 'city', kind: 'not-null', column: 'city', severity: 'block' },
];
const report = runSuite(batch, { name: 'figures', version: 1, rules }, { reference });
const byId = (id: string) => report.rules.find((r) => r.id === id)!;

describe('the figure a rule is shown by', () => {
  it('shows a failed table-level rule as failing whole (100%, "whole table"), not "0%, 0"', () => {
    // 731 rows against 365: +100%; the stored result counts no cells.
    expect(byId('rows')).toMatchObject({ passed: false, failingCount: 0 });
    expect(ruleFigure(byId('rows'))).toEqual({ share: 1, shareText: '100%', countText: 'whole table', whole: true });
    expect(ruleFigure(byId('temp-shift'))).toMatchObject({ share: 1, shareText: '100%', countText: 'whole table' });
    expect(ruleFigure(byId('wind-shift'))).toEqual({ share: 0, shareText: '0%', countText: '0', whole: true });
    // A rule naming a column the data lacks fails as a whole too.
    expect(ruleFigure(byId('city'))).toMatchObject({ share: 1, countText: 'whole table' });
  });

  it('shows cell-level rules by their measured share and count', () => {
    const range = byId('range');
    expect(range.passed).toBe(false);
    expect(range.failingCount).toBeGreaterThan(0);
    expect(ruleFigure(range)).toEqual({ share: range.failingShare, shareText: expect.stringMatching(/%$/), countText: String(range.failingCount), whole: false });
    const missing = byId('weather');
    expect(ruleFigure(missing)).toMatchObject({ share: missing.failingShare, countText: String(missing.failingCount) });
  });

  it('gives the chart the same figure as the table, for every failed rule', () => {
    const failed = report.rules.filter((r) => !r.passed);
    expect(failed.map((r) => r.id)).toEqual(expect.arrayContaining(['rows', 'temp-shift', 'range', 'city']));
    const bars = figureRows(failed);
    for (const [i, rule] of failed.entries()) {
      const figure = ruleFigure(rule);
      expect(bars[i]).toMatchObject({ rule: rule.id, share: figure.share, shareText: figure.shareText, failing: figure.countText });
      // A failed rule never shows as nothing failing.
      expect(figure.share).toBeGreaterThan(0);
    }
  });
});
