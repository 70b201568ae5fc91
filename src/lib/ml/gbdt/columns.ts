// The trees' input columns from a table: numbers as they are (NaN missing), strings as native categories, dates as year, month and day of week.
import { getColumn, isStringColumn } from '../../pipeline/table.ts';
import type { DataTable } from '../../pipeline/types.ts';
import type { GbdtColumn } from './types.ts';

/** The parts a date column becomes (UTC; day of week 0 for Monday … 6 for Sunday, as the feature fitter's). */
export const GBDT_DATE_PARTS = ['year', 'month', 'dayOfWeek'] as const;

function datePart(part: (typeof GBDT_DATE_PARTS)[number], ms: number): number {
  if (ms !== ms) return NaN;
  const date = new Date(ms);
  if (part === 'year') return date.getUTCFullYear();
  if (part === 'month') return date.getUTCMonth() + 1;
  return (date.getUTCDay() + 6) % 7;
}

/**
 * The columns `features` of `table` as trees take them, in order: a date column gives three columns named
 * `name.year`, `name.month` and `name.dayOfWeek`. Columns are views (no copy) except the date parts.
 */
export function gbdtColumns(table: DataTable, features: string[]): GbdtColumn[] {
  return features.flatMap((name): GbdtColumn[] => {
    const column = getColumn(table, name);
    if (isStringColumn(column)) return [{ name, kind: 'categorical', codes: column.codes, levels: column.levels }];
    if (column.type !== 'date') return [{ name, kind: 'numeric', values: column.values }];
    return GBDT_DATE_PARTS.map((part) => ({
      name: `${name}.${part}`,
      kind: 'numeric' as const,
      values: column.values.map((ms) => datePart(part, ms)),
    }));
  });
}
