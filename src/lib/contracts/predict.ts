// Types of the single-prediction form and batch scoring that cross the ML worker's boundary.
import type { InputField, InputFlag } from '../pipeline/predict-form.ts';
import type { TaskKind } from '../pipeline/types.ts';
import type { Attribution } from './review.ts';

export type { InputField, InputFlag };

/** What the form of one saved model shows: its inputs as fields, prefilled with the training medians and modes. */
export interface PredictFormInfo {
  modelId: number;
  name: string;
  version: number;
  target: string;
  task: TaskKind;
  classes: string[];
  fields: InputField[];
  /** A binary model's saved decision threshold and positive class. */
  threshold?: number;
  positiveClass?: string;
}

/** One case predicted and explained. */
export interface RowPrediction extends Attribution {
  predicted: string | number;
  /** Per class, in the model's class order (empty for regression). */
  probabilities: { label: string; probability: number }[];
  /** A binary model's decision rule: the positive class at p ≥ threshold (`saved`: the model's own threshold, else 0.5). */
  decision: { threshold: number; positive: string; saved: boolean } | null;
  /** The values as the model read them (after the recipe), by column. */
  values: Record<string, string | number | boolean | null>;
  /** Flags of the values typed: outside the training range, never seen (warnings; unreadable values are refused instead). */
  flags: InputFlag[];
  /** Recipe steps not applied to the one case because they read a column the form does not have. */
  notes: string[];
}

/** Where a batch scoring is. */
export interface ScoreProgress {
  phase: 'reading' | 'parsing' | 'cleaning' | 'scoring' | 'done';
  rowsDone: number;
  rows: number;
  /** 0..1 over the whole job. */
  fraction: number;
}
