// The single-prediction form from a transform bundle: fields, training ranges and modes, flags, the one-row table; old bundles without `inputs`.
import { describe, expect, it } from 'vitest';
import { fitFeatureSet, fitPlan } from '../../../../src/lib/pipeline/features/fit.ts';
import { parseCsv } from '../../../../src/lib/pipeline/parse-csv.ts';
import { checkInputs, defaultInputs, inputFields, oneRowTable } from '../../../../src/lib/pipeline/predict-form.ts';
import { applyTransforms } from '../../../../src/lib/pipeline/transforms.ts';
import type { TransformBundle } from '../../../../src/lib/pipeline/types.ts';

const csv = [
  'size,colour,when,flag,note,y',
  '1.5,red,2024-01-01,true,a b,yes',
  '2.5,red,2024-01-03,false,b c,no',
  '3.5,blue,2024-01-05,true,c d,yes',
  '10,red,2024-01-07,true,,no',
  ',green,,false,d,yes',
].join('\n');
const table = parseCsv(csv, 'small.csv');
const all = Int32Array.from([0, 1, 2, 3, 4]);

describe('inputFields', () => {
  it('gives each source column a field: kind, training range, choices by count, median or mode', () => {
    const bundle = fitPlan(table, { target: 'y', task: 'binary', features: ['size', 'colour', 'when', 'flag'], dropped: [] }, all);
    const fields = inputFields(bundle);
    expect(fields.map((f) => [f.column, f.kind])).toEqual([
      ['size', 'number'],
      ['colour', 'category'],
      ['when', 'date'],
      ['flag', 'boolean'],
    ]);
    expect(fields[0]).toMatchObject({ min: 1.5, max: 10, default: '3' });
    expect(fields[1]).toMatchObject({ choices: ['red', 'blue', 'green'], complete: true, default: 'red' });
    expect(fields[2]).toMatchObject({ min: Date.parse('2024-01-01'), max: Date.parse('2024-01-07'), default: '2024-01-04' });
    expect(fields[3]).toMatchObject({ choices: ['false', 'true'], default: 'true' });
  });

  it('reads a hashed column as free text, and takes ranges of both columns of a ratio', () => {
    const bundle = fitFeatureSet(
      table,
      {
        name: 'fs',
        version: 1,
        features: [
          { name: 'note', column: 'note', transform: 'hash', params: { width: 4 } },
          { name: 'r', column: 'size', column2: 'flag', transform: 'ratio' },
        ],
      },
      all,
      { target: 'y', task: 'binary' },
    );
    expect(inputFields(bundle).map((f) => [f.column, f.kind])).toEqual([
      ['note', 'text'],
      ['size', 'number'],
      ['flag', 'boolean'],
    ]);
  });

  it('keeps old bundles (no inputs) working from their features, with the dataset types', () => {
    const fitted = fitPlan(table, { target: 'y', task: 'binary', features: ['size', 'colour', 'when'], dropped: [] }, all);
    const { inputs: _inputs, ...old } = fitted;
    const fields = inputFields(old as TransformBundle, { when: 'date' });
    expect(fields[0]).toMatchObject({ column: 'size', kind: 'number', default: '3' });
    expect(fields[0]!.min).toBeUndefined();
    // Every level was seen fewer than 5 times, so all were pooled into "other": no choices to offer, none flagged.
    expect(fields[1]).toMatchObject({ column: 'colour', kind: 'category', choices: [], complete: false, default: '' });
    expect(fields[2]).toMatchObject({ column: 'when', kind: 'date' });
    // The old bundle transforms the same: `inputs` is never read by applyTransforms.
    expect(applyTransforms(table, old as TransformBundle)).toEqual(applyTransforms(table, fitted));
  });
});

describe('checkInputs', () => {
  const bundle = fitPlan(table, { target: 'y', task: 'binary', features: ['size', 'colour', 'when', 'flag'], dropped: [] }, all);
  const fields = inputFields(bundle);

  it('flags nothing for the defaults', () => {
    expect(checkInputs(fields, defaultInputs(fields))).toEqual([]);
  });

  it('flags values outside the training range, an unseen category, unreadable values and empty fields', () => {
    const flags = checkInputs(fields, { size: '11', colour: 'purple', when: '2023-12-31', flag: 'maybe' });
    expect(flags.map((f) => [f.column, f.kind, f.blocking])).toEqual([
      ['size', 'above-range', false],
      ['colour', 'unseen-category', false],
      ['when', 'below-range', false],
      ['flag', 'not-a-number', true],
    ]);
    expect(flags[0]!.message).toBe('Above the training range (1.5 to 10)');
    expect(flags[1]!.message).toContain('“purple” was never seen in training');
    expect(flags[2]!.message).toBe('Below the training range (2024-01-01 to 2024-01-07)');
    const more = checkInputs(fields, { size: 'abc', colour: '', when: '12/01/2024', flag: 'true' });
    expect(more.map((f) => [f.column, f.kind, f.blocking])).toEqual([
      ['size', 'not-a-number', true],
      ['colour', 'missing', false],
      ['when', 'not-a-date', true],
    ]);
    expect(checkInputs(fields, { size: '1', colour: 'red', when: '2024-01-02', flag: 'false' }).map((f) => f.kind)).toEqual(['below-range']);
  });
});

describe('oneRowTable', () => {
  const bundle = fitPlan(table, { target: 'y', task: 'binary', features: ['size', 'colour', 'when', 'flag'], dropped: [] }, all);
  const fields = inputFields(bundle);

  it('builds the row the model transforms like the same row of a file', () => {
    const one = oneRowTable(fields, { size: '2.5', colour: 'red', when: '2024-01-03', flag: 'false' });
    expect(one.rowCount).toBe(1);
    expect(Array.from(applyTransforms(one, bundle))).toEqual(Array.from(applyTransforms(table, bundle, Int32Array.of(1))));
    const empty = oneRowTable(fields, { size: '', colour: '', when: '', flag: '' });
    expect(Array.from(applyTransforms(empty, bundle))).toHaveLength(bundle.width);
  });

  it('refuses an unreadable value or an unknown column, naming it', () => {
    expect(() => oneRowTable(fields, { size: 'x' })).toThrow(/size: “x” is not a number/);
    expect(() => oneRowTable(fields, { weight: '1' })).toThrow(/no input "weight"/);
    expect(() => oneRowTable(fields, { flag: 'yes' })).toThrow(/flag: “yes” is not true or false/);
  });
});
