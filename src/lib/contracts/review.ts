// What review stores and shows of a run: its evaluation report with the reviewer's decision, the champion it was compared with, and one test row explained.
import type { EvaluationReport } from '../pipeline/review/report.ts';

/** A run's stored evaluation report: metrics, intervals, calibration, groups, importance and the verdict. */
export interface ReviewRecord {
  runId: string;
  createdAt: string;
  report: EvaluationReport & { importance: unknown };
  /** The reviewer's decision, with the note that justifies it; a later decision replaces it (the audit log keeps both). */
  decision?: ReviewDecision;
  /** The saved model the report was compared with (`report.vsChampion`, `report.champion`), when it was. */
  champion?: ReviewChampion;
}

/** A reviewer's approval or rejection of a run's evaluation report. */
export interface ReviewDecision {
  decision: 'approve' | 'reject';
  /** Why: never empty. */
  note: string;
  /** ISO time of the decision. */
  at: string;
}

/** The champion a report was compared with: a saved model version and the run it came from. */
export interface ReviewChampion {
  modelId: number;
  name: string;
  version: number;
  runId: string;
}

/** One prediction's attribution: each input column's share of f(row) − f(baseline); a test row's (review) or a typed case's (Predict). */
export interface Attribution {
  /** Exact for a linear model; Integrated Gradients (50 steps) for an MLP; exact TreeSHAP for trees. */
  method: 'linear' | 'integrated-gradients' | 'tree-shap';
  /** What is explained: the value (regression), the positive class's log-odds (binary), the class's centred logit. */
  output: 'value' | 'log-odds' | 'centred-logit';
  className: string | null;
  value: number;
  baselineValue: number;
  /** |Σ attributions − (value − baselineValue)| relative to the difference. */
  relativeGap: number;
  /** Each input column's share, largest |attribution| first. */
  columns: { column: string; attribution: number }[];
  durationMs: number;
}

/** Why the model predicted what it did for one test row: each input column's share of f(row) − f(baseline). */
export interface RowExplanation extends Attribution {
  /** The row's place among the run's test rows (0-based) and how many there are. */
  position: number;
  testRows: number;
  /** The row's values of the columns the model reads, and of the target. */
  values: Record<string, string | number | boolean | null>;
  actual: string | number | null;
  /** The predicted class or value. */
  predicted: string | number;
}
