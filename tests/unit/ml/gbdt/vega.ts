// The vega-datasets files as trees see them (numbers with NaN, categories as codes), prepared as reference/make_reference.py does.
import { readFileSync } from 'node:fs';
import { splitRows } from '../../../../src/lib/pipeline/split.ts';
import { compareStrings } from '../../../../src/lib/pipeline/profile.ts';
import type { GbdtColumn, GbdtTarget } from '../../../../src/lib/ml/gbdt/types.ts';

const DATA = 'node_modules/vega-datasets/data/';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface VegaCase {
  columns: GbdtColumn[];
  target: GbdtTarget;
  /** Class labels (classification) in sorted order. */
  labels: string[];
  train: Int32Array;
  test: Int32Array;
}

type Row = Record<string, unknown>;

function readRecords(name: string): Row[] {
  if (name === 'seattle') {
    const [header, ...lines] = readFileSync(`${DATA}seattle-weather.csv`, 'utf8').trim().split('\n');
    const names = header!.split(',');
    return lines.map((line) => {
      const cells = line.split(',');
      const date = cells[0]!;
      const row: Row = {};
      names.slice(1).forEach((n, i) => (row[n] = n === 'weather' ? cells[i + 1] : Number(cells[i + 1])));
      return { ...row, year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
    });
  }
  const rows = JSON.parse(readFileSync(`${DATA}${name}.json`, 'utf8')) as Row[];
  if (name === 'cars') return rows.map(({ Name: _n, ...rest }) => ({ ...rest, Year: Number(String(rest.Year).slice(0, 4)) }));
  if (name === 'movies') {
    return rows.map(({ Title: _t, 'Release Date': date, ...rest }) => {
      const m = /^([A-Z][a-z]{2}) (\d{2}) (\d{4})$/.exec(String(date));
      const month = m ? MONTHS.indexOf(m[1]!) + 1 : 0;
      return { ...rest, 'Release Year': month > 0 ? Number(m![3]) : null, 'Release Month': month > 0 ? month : null };
    });
  }
  return rows;
}

const TARGETS: Record<string, string> = { penguins: 'Species', cars: 'Miles_per_Gallon', movies: 'IMDB Rating', seattle: 'weather' };

/** One dataset: rows with a target in file order, the 80/20 split of seed 42 (stratified for classes). */
export function vegaCase(name: 'penguins' | 'cars' | 'movies' | 'seattle'): VegaCase {
  const targetName = TARGETS[name]!;
  const records = readRecords(name).filter((r) => r[targetName] !== null && r[targetName] !== undefined);
  const names = Object.keys(records[0]!).filter((n) => n !== targetName);
  const columns = names.map((n): GbdtColumn => {
    const values = records.map((r) => r[n]);
    if (values.every((v) => v === null || v === undefined || typeof v === 'number')) {
      return { name: n, kind: 'numeric', values: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) };
    }
    const levels = [...new Set(values.filter((v) => v !== null && v !== undefined).map(String))];
    const code = new Map(levels.map((l, i) => [l, i]));
    return { name: n, kind: 'categorical', levels, codes: Int32Array.from(values, (v) => (v === null || v === undefined ? -1 : code.get(String(v))!)) };
  });
  const all = Int32Array.from(records, (_, i) => i);
  if (name === 'cars' || name === 'movies') {
    const values = Float64Array.from(records, (r) => r[targetName] as number);
    return { columns, target: { kind: 'values', values }, labels: [], ...splitRows(all, 0.2, 42) };
  }
  const labels = [...new Set(records.map((r) => String(r[targetName])))].sort(compareStrings);
  const classes = Int32Array.from(records, (r) => labels.indexOf(String(r[targetName])));
  return { columns, target: { kind: 'classes', classes, nClasses: labels.length }, labels, ...splitRows(all, 0.2, 42, classes) };
}
