// A model's drift reference as a file (reference.json in bundles and registry versions): its training columns and its test predictions, sketched.
import { sketchFromJson, sketchToJson } from '../drift/sketch.ts';
import type { ReferenceSketch } from '../drift/types.ts';
import { AppError } from '../errors.ts';

export const REFERENCE_FORMAT = 'millrace.reference/1';

/** The two sketches of a reference: the model's columns over its training rows, its predictions over its test rows. */
export interface ReferenceSketches {
  data: ReferenceSketch;
  predictions: ReferenceSketch;
}

/** reference.json's content. */
export function referenceJson(reference: ReferenceSketches): unknown {
  return { format: REFERENCE_FORMAT, data: sketchToJson(reference.data), predictions: sketchToJson(reference.predictions) };
}

/** Reads reference.json's content; a file of another format is AppError 'bad-argument' naming it. */
export function referenceFromJson(value: unknown, where = 'reference.json'): ReferenceSketches {
  const record = value as { format?: unknown; data?: unknown; predictions?: unknown } | null;
  if (!record || typeof record !== 'object' || record.format !== REFERENCE_FORMAT) {
    throw new AppError('bad-argument', `${where} is not a ${REFERENCE_FORMAT} file (format ${JSON.stringify(record?.format) ?? 'missing'})`, { file: where });
  }
  return { data: sketchFromJson(record.data), predictions: sketchFromJson(record.predictions) };
}
