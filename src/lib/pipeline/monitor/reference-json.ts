// A model's drift reference as a file (reference.json in bundles and registry versions): its training columns and its test predictions, sketched; with the test outputs, labels and calibration that the label-free estimate needs.
import { sketchFromJson, sketchToJson } from '../drift/sketch.ts';
import type { ReferenceSketch } from '../drift/types.ts';
import { AppError } from '../errors.ts';
import type { FittedCalibration } from './performance-calibration.ts';

export const REFERENCE_FORMAT = 'millrace.reference/1';

/** The sketches of a reference (the model's columns over its training rows, its predictions over its test rows), and its test outputs when kept. */
export interface ReferenceSketches {
  data: ReferenceSketch;
  predictions: ReferenceSketch;
  /** The model's outputs on its test rows (n × k) and their labels; absent in files written before they were kept. */
  test?: { outputs: Float32Array; k: number; labels: Float32Array };
  calibration?: FittedCalibration | null;
}

/** A float32 as the shortest decimal that reads back as the same float32. */
const f32 = (x: number) => Number(Math.fround(x).toPrecision(9));

/** reference.json's content. */
export function referenceJson(reference: ReferenceSketches): unknown {
  const { test, calibration } = reference;
  return {
    format: REFERENCE_FORMAT,
    data: sketchToJson(reference.data),
    predictions: sketchToJson(reference.predictions),
    ...(test ? { test: { k: test.k, outputs: Array.from(test.outputs, f32), labels: Array.from(test.labels, f32) } } : {}),
    ...(calibration ? { calibration } : {}),
  };
}

const bad = (where: string, what: string) => new AppError('bad-argument', `${where}: ${what}`, { file: where });

/** The test part of reference.json, checked: k ≥ 1 outputs per label, every value a finite number. */
function testFromJson(value: unknown, where: string): ReferenceSketches['test'] {
  const test = value as { k?: unknown; outputs?: unknown; labels?: unknown };
  const { k, outputs, labels } = test ?? {};
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw bad(where, `test.k must be a whole number from 1; got ${JSON.stringify(k)}`);
  const numbers = (name: string, list: unknown) => {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw bad(where, `test.${name} must be a list of finite numbers`);
    return Float32Array.from(list as number[]);
  };
  const out = numbers('outputs', outputs);
  const lab = numbers('labels', labels);
  if (out.length !== lab.length * k) throw bad(where, `test.outputs holds ${out.length} values for ${lab.length} labels × k ${k}`);
  return { outputs: out, k, labels: lab };
}

/** Reads reference.json's content; a file of another format, or a malformed test part, is AppError 'bad-argument' naming it. */
export function referenceFromJson(value: unknown, where = 'reference.json'): ReferenceSketches {
  const record = value as { format?: unknown; data?: unknown; predictions?: unknown; test?: unknown; calibration?: unknown } | null;
  if (!record || typeof record !== 'object' || record.format !== REFERENCE_FORMAT) {
    throw new AppError('bad-argument', `${where} is not a ${REFERENCE_FORMAT} file (format ${JSON.stringify(record?.format) ?? 'missing'})`, { file: where });
  }
  return {
    data: sketchFromJson(record.data),
    predictions: sketchFromJson(record.predictions),
    ...(record.test !== undefined ? { test: testFromJson(record.test, where) } : {}),
    ...(record.calibration ? { calibration: record.calibration as FittedCalibration } : {}),
  };
}
