// A filter `d => d.col op number` over an integer or number column: the same rows as the Arquero expression (missing cells are null, compared as 0), of all rows or of a selection; anything else is left to Arquero.
import { describe, expect, it } from 'vitest';
import { evaluateParsedRows, parseRowExpression } from '../../../src/lib/pipeline/quality/expression.ts';
import { compareRows, simpleComparison } from '../../../src/lib/pipeline/recipe/row-filter.ts';
import { num, str, table } from './quality/tables.ts';

const n = 2000;
const values = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : ((i * 37) % 101) - 50 + (i % 3) * 0.25));
const data = table(
  num('x', values),
  num('i', Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : (i % 40) - 20)), 'integer'),
  num('b', Array.from({ length: n }, (_, i) => i % 2), 'boolean'),
  str('s', Array.from({ length: n }, (_, i) => String(i % 5))),
);
const rows = Int32Array.from({ length: 700 }, (_, k) => (k * 13) % n);

describe('compareRows', () => {
  const expressions = ['d => d.x >= 25', 'd => d.x < 0', 'd => d.x <= -0.25', 'd => d.x > -1e1', 'row => (row.i < 3)', 'd.i >= 0', 'd => d.i > .5', 'd => d.i <= 7.'];
  it.each(expressions)('keeps the rows Arquero keeps: %s', (text) => {
    const parsed = parseRowExpression(text, ['x', 'i', 'b', 's']);
    const comparison = simpleComparison(parsed.expression);
    expect(comparison).not.toBeNull();
    for (const selection of [null, rows]) {
      const fast = compareRows(data, comparison!, selection);
      expect(fast).toEqual(evaluateParsedRows(data, parsed, selection));
    }
  });

  it('leaves other expressions, and columns other than numbers, to Arquero', () => {
    for (const text of ['d => d.x == 3', 'd => d.x >= d.i', 'd => 3 < d.x', 'd => d.x >= 2 && d.i < 3', "d => d['x'] > 1", 'd => d.x > 0x10', 'd => op.abs(d.x) > 1']) {
      expect(simpleComparison(parseRowExpression(text, ['x', 'i']).expression)).toBeNull();
    }
    expect(compareRows(data, simpleComparison('d => d.b > 0')!, null)).toBeNull();
    expect(compareRows(data, simpleComparison('d => d.s > 0')!, null)).toBeNull();
  });
});
