// Date formats (detected and chosen) and type overrides, including one that fails on a named row.
import { describe, expect, it } from 'vitest';
import { detectDateFormat, parseDateAs } from '../../../src/lib/pipeline/date-formats.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { parseFileDetailedSync } from '../../../src/lib/pipeline/parse.ts';
import { applyTypeOverrides } from '../../../src/lib/pipeline/type-overrides.ts';
import { cellValue, getColumn } from '../../../src/lib/pipeline/table.ts';
import { catchAppError, utf8 } from './helpers.ts';

describe('detectDateFormat', () => {
  it.each([
    [['2020-01-31', '2021-12-01'], 'yyyy-mm-dd'],
    [['2020-01-31', '2021-12-01T08:30Z'], 'ISO 8601 date-time'],
    [['13/01/2020', '02/03/2020'], 'dd/mm/yyyy'],
    [['01/13/2020', '02/03/2020'], 'mm/dd/yyyy'],
    [['01/02/2020', '02/03/2020'], 'dd/mm/yyyy (ambiguous: no day above 12, could be mm/dd/yyyy)'],
    [['31.12.2020', '1.2.2021'], 'dd.mm.yyyy'],
    [['2020/12/31', '2021/1/2'], 'yyyy/mm/dd'],
    [['Jan 5 2020', 'December 25, 2021'], 'mon d yyyy'],
    [['5 Jan 2020', '25-Dec-2021'], 'd mon yyyy'],
    [['13/01/2020 08:30', '02/03/2020 17:05'], 'dd/mm/yyyy hh:mm'],
    [['13/01/2020 08:30:15'], 'dd/mm/yyyy hh:mm:ss'],
  ])('%j → %s', (values, format) => {
    expect(detectDateFormat(values)).toBe(format);
  });

  it.each([[['13/13/2020']], [['13/01/2020', '01/13/2020']], [['2020-02-30']], [['Jan 5 2020', '2020-01-05']], [['Foo 5 2020']]])(
    '%j is not a date column',
    (values) => {
      expect(detectDateFormat(values)).toBeNull();
    },
  );

  it('parses each format to epoch ms UTC', () => {
    expect(parseDateAs('05/01/2020', 'dd/mm/yyyy')).toBe(Date.UTC(2020, 0, 5));
    expect(parseDateAs('05/01/2020', 'mm/dd/yyyy')).toBe(Date.UTC(2020, 4, 1));
    expect(parseDateAs('31.12.2020 23:59:58', 'dd.mm.yyyy hh:mm:ss')).toBe(Date.UTC(2020, 11, 31, 23, 59, 58));
    expect(parseDateAs('Sept 9, 2021', 'mon d yyyy')).toBe(Date.UTC(2021, 8, 9));
    expect(parseDateAs('29/02/2021', 'dd/mm/yyyy')).toBeNaN();
  });
});

describe('date columns in files', () => {
  it('reads day-first dates and reports the format', () => {
    const result = parseFileDetailedSync(utf8('when,n\n13/01/2020,1\n02/03/2020,2\n,3\n'), 'd.csv');
    const when = getColumn(result.table, 'when');
    expect(when.type).toBe('date');
    expect([cellValue(when, 0), cellValue(when, 1), cellValue(when, 2)]).toEqual(['2020-01-13', '2020-03-02', null]);
    expect(result.dateFormats).toEqual({ when: 'dd/mm/yyyy' });
  });

  it('an ambiguous column says so, and the user can choose month-first', () => {
    const bytes = utf8('when\n01/02/2020\n03/04/2020\n');
    const guessed = parseFileDetailedSync(bytes, 'a.csv');
    expect(guessed.dateFormats.when).toBe('dd/mm/yyyy (ambiguous: no day above 12, could be mm/dd/yyyy)');
    expect(cellValue(getColumn(guessed.table, 'when'), 0)).toBe('2020-02-01');
    const chosen = parseFileDetailedSync(bytes, 'a.csv', { dateFormats: { when: 'mm/dd/yyyy' } });
    expect(chosen.dateFormats).toEqual({ when: 'mm/dd/yyyy' });
    expect(cellValue(getColumn(chosen.table, 'when'), 0)).toBe('2020-01-02');
  });

  it('a chosen date format that a value does not fit names the row', () => {
    const e = catchAppError(() => parseFileDetailedSync(utf8('when\n01/02/2020\n25/04/2020\n'), 'a.csv', { dateFormats: { when: 'mm/dd/yyyy' } }));
    expect(e.code).toBe('type-conversion');
    expect(e.message).toBe('a.csv: column "when" cannot be read as date: row 2 has "25/04/2020" (not a date in the format mm/dd/yyyy)');
    expect(e.place).toEqual({ file: 'a.csv', row: 2, column: 'when' });
  });

  it('date-times keep their time; JSON dates get a format too', () => {
    const t = parseFileDetailedSync(utf8('[{"at":"2020-12-31 23:59"},{"at":"Jan 1 2021"}]'), 'mixed.json');
    expect(getColumn(t.table, 'at').type).toBe('category');
    const ok = parseFileDetailedSync(utf8('[{"at":"12/31/2020 23:59"},{"at":"01/01/2021 00:00"}]'), 'us.json');
    expect(ok.dateFormats).toEqual({ at: 'mm/dd/yyyy hh:mm' });
    expect(cellValue(getColumn(ok.table, 'at'), 0)).toBe('2020-12-31T23:59:00.000Z');
  });
});

describe('type overrides', () => {
  const table = () => parseCsv('zip,score,flag,label\n02134,1,1,a\n90210,2.5,0,b\n,3,1,12\n', 'o.csv');

  it('integer → category at parse keeps leading zeros; number → text; 0/1 → boolean', () => {
    const result = parseFileDetailedSync(utf8('zip,score,flag\n02134,1.5,1\n90210,2.5,0\n'), 'o.csv', {
      types: { zip: 'category', score: 'text', flag: 'boolean' },
    });
    const { table: t } = result;
    expect(t.columns.map((c) => c.type)).toEqual(['category', 'text', 'boolean']);
    expect(cellValue(getColumn(t, 'zip'), 0)).toBe('02134');
    expect(cellValue(getColumn(t, 'score'), 1)).toBe('2.5');
    expect(cellValue(getColumn(t, 'flag'), 0)).toBe(true);
  });

  it('after parsing: integer → category, category → text, text digits → integer', () => {
    const t = applyTypeOverrides(table(), { flag: 'category', label: 'text' });
    const flag = getColumn(t, 'flag');
    expect(flag.type === 'category' && flag.levels).toEqual(['1', '0']);
    expect(getColumn(t, 'label').type).toBe('text');
    const digits = applyTypeOverrides(parseCsv('x\n"1"\n"22"\n', 'q.csv', { types: { x: 'text' } }), { x: 'integer' });
    expect(cellValue(getColumn(digits, 'x'), 1)).toBe(22);
  });

  it('a value that does not fit names the column, the row and the value', () => {
    const e = catchAppError(() => applyTypeOverrides(table(), { label: 'integer' }, 'o.csv'));
    expect(e.code).toBe('type-conversion');
    expect(e.message).toBe('o.csv: column "label" cannot be read as integer: row 1 has "a"');
    expect(e.place).toEqual({ file: 'o.csv', row: 1, column: 'label' });
    const n = catchAppError(() => applyTypeOverrides(table(), { score: 'integer' }));
    expect(n.message).toBe('Column "score" cannot be read as integer: row 2 has "2.5"');
    const b = catchAppError(() => applyTypeOverrides(table(), { score: 'boolean' }));
    expect(b.message).toBe('Column "score" cannot be read as boolean: row 2 has "2.5" (only 0 and 1 are booleans)');
  });

  it('an unknown column or type is refused', () => {
    expect(catchAppError(() => applyTypeOverrides(table(), { zipcode: 'text' })).message).toMatch(/^Unknown column "zipcode"; columns are: "zip"/);
    expect(catchAppError(() => applyTypeOverrides(table(), { zip: 'money' as never })).code).toBe('bad-argument');
  });
});
