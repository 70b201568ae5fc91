// Small models on real data for the review tests: vega-datasets tables, trained with the repo's own runPipeline.
import type * as tf from '@tensorflow/tfjs';
import { isTrees } from '../../../../src/lib/ml/predictor.ts';
import { readFileSync } from 'node:fs';
import { runPipeline, type RunOutput } from '../../../../src/lib/ml/run.ts';
import { parseFile } from '../../../../src/lib/pipeline/parse.ts';
import { makeSpec, type SpecDraft } from '../../../../src/lib/pipeline/spec/build.ts';
import { mulberry32 } from '../../../../src/lib/pipeline/split.ts';
import type { Column, DataTable } from '../../../../src/lib/pipeline/types.ts';

export const DATA = 'node_modules/vega-datasets/data/';

export function load(name: string): DataTable {
  return parseFile(readFileSync(DATA + name), name);
}

/** The table with its rows restricted to (and ordered as) `rows`. */
export function subset(table: DataTable, rows: number[]): DataTable {
  const pick = (column: Column): Column =>
    'codes' in column ? { ...column, codes: Int32Array.from(rows, (r) => column.codes[r]!) } : { ...column, values: Float64Array.from(rows, (r) => column.values[r]!) };
  return { rowCount: rows.length, columns: table.columns.map(pick) };
}

/** The table with a seeded numeric noise column and a seeded three-level categorical noise column added. */
export function withNoise(table: DataTable, seed: number): DataTable {
  const random = mulberry32(seed);
  const noise: Column = { name: 'Noise', type: 'number', values: Float64Array.from({ length: table.rowCount }, () => random() * 2 - 1) };
  const levels: Column = { name: 'Noise level', type: 'category', levels: ['a', 'b', 'c'], codes: Int32Array.from({ length: table.rowCount }, () => Math.floor(random() * 3)) };
  return { rowCount: table.rowCount, columns: [...table.columns, noise, levels] };
}

/** Penguins with Sex as a binary target: the rows whose Sex is MALE or FEMALE. */
export function penguinsBySex(): DataTable {
  const penguins = load('penguins.json');
  const sex = penguins.columns.find((c) => c.name === 'Sex') as { codes: Int32Array; levels: string[] };
  const rows: number[] = [];
  sex.codes.forEach((code, row) => {
    if (sex.levels[code] === 'MALE' || sex.levels[code] === 'FEMALE') rows.push(row);
  });
  return subset(penguins, rows);
}

/** A run whose model is a network (linear or MLP), as these tests train them. */
export type NetworkRun = Omit<RunOutput, 'model'> & { model: tf.LayersModel };

/** Trains a network with seed 3 unless the draft says otherwise (the caller disposes `out.model`). */
export async function train(table: DataTable, draft: SpecDraft): Promise<NetworkRun> {
  const out = await runPipeline(table, makeSpec({ ...draft, split: { seed: 3, ...draft.split } }));
  if (isTrees(out.model)) throw new Error('train() is for networks');
  return out as NetworkRun;
}
