// A batch against a model's reference: the run's recipe applied as scoring does, then drift of the inputs, of the target (when the batch has labels) and of the predictions.
import type { Predictor } from '../predictor.ts';
import type { ReferenceRecord } from '../../contracts/monitor.ts';
import { compareWithSketch } from '../../pipeline/drift/compare.ts';
import type { ColumnDrift, DriftOptions, DriftReport } from '../../pipeline/drift/types.ts';
import { AppError } from '../../pipeline/errors.ts';
import { stepsForScoring } from '../../pipeline/recipe/scoring.ts';
import type { RecipeStep } from '../../pipeline/recipe/types.ts';
import { cleanForScoring, dropAbsentColumns, scoreColumns } from '../../pipeline/score-input.ts';
import type { Column, DataTable, TransformBundle } from '../../pipeline/types.ts';
import { columnDistribution, type Distribution } from '../../pipeline/monitor/distribution.ts';
import { batchPerformance, type BatchPerformance } from '../../pipeline/monitor/batch-performance.ts';
import type { EvaluationReport } from '../../pipeline/review/report.ts';
import { encodeTarget } from '../../pipeline/transforms.ts';

const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
import { modelOutputs, monitoredColumns, predictionColumn } from './reference.ts';

/** A saved model as monitoring needs it. */
export interface MonitoredModel {
  network: Predictor;
  bundle: TransformBundle;
  /** The run's recipe and privacy steps. */
  steps: readonly RecipeStep[];
  salt?: string | undefined;
  /** The run's stored evaluation report (test metrics and intervals), null when it has none. */
  report: EvaluationReport | null;
  /** Binary: the saved decision (the positive class's label and the threshold). */
  decision?: { positiveClass?: string | undefined; threshold?: number | undefined };
}

export interface BatchCheck {
  /** The model's input columns (dataset drift is their share). */
  report: DriftReport;
  /** The target against the training labels, when the batch has it. */
  target: ColumnDrift | null;
  /** The model's predictions on the batch against its test predictions; null when it cannot score the batch. */
  prediction: ColumnDrift | null;
  /** Measured (labelled batch) or estimated performance against the test metrics; null when the batch was not scored. */
  performance: BatchPerformance | null;
  /** Reference and batch shares per bin or category, by column and for `prediction`. */
  distributions: Record<string, Distribution>;
  /** Rows the run's recipe dropped from the batch (scoring's rejects). */
  rowsDropped: number;
  notices: string[];
}

/**
 * Compares `batch` (named `batchName` in messages) with the model's reference. The run's recipe is applied first, as
 * scoring applies it, so both sides went through the same cleaning; a batch lacking a column the model needs is
 * still compared (the column counts as drifted) but not scored, and a notice says why. An empty batch, or one the
 * recipe empties, is AppError 'bad-argument' naming it.
 */
export async function checkBatch(
  model: MonitoredModel,
  reference: ReferenceRecord,
  batch: DataTable,
  batchName: string,
  options: DriftOptions = {},
  onPhase?: (phase: 'comparing' | 'predicting') => void,
): Promise<BatchCheck> {
  const { bundle } = model;
  if (batch.rowCount === 0) throw new AppError('bad-argument', `${batchName} has no rows to compare with the model's reference`, { file: batchName });
  const names = batch.columns.map((c) => c.name);
  const notices: string[] = [];
  let table = batch;
  let rowsDropped = 0;
  let scorable = true;
  try {
    scoreColumns(bundle, model.steps, names, batchName);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'unknown-column') throw error;
    scorable = false;
    notices.push(`${error.message}: the recipe was not applied and there is no prediction drift`);
  }
  if (scorable) {
    const steps = stepsForScoring(dropAbsentColumns(model.steps, names), batch, bundle.target, batchName);
    const cleaned = await cleanForScoring(batch, steps, model.salt !== undefined ? { salt: model.salt } : {});
    table = cleaned.table;
    rowsDropped = cleaned.rejects.rows.length;
    if (rowsDropped > 0) notices.push(`The model's recipe dropped ${rowsDropped.toLocaleString('en-US')} of ${batch.rowCount.toLocaleString('en-US')} rows before the comparison, as scoring would`);
    if (table.rowCount === 0) throw new AppError('bad-argument', `The model's recipe drops every row of ${batchName}: nothing to compare`, { file: batchName });
  }
  onPhase?.('comparing');
  // A date column is later in every new batch by nature: its parts (month, weekday) are what the model reads, so it is left out.
  const dates = new Set(reference.data.columns.filter((c) => c.kind === 'number' && c.type === 'date').map((c) => c.name));
  const inputs = monitoredColumns(bundle).filter((c) => c !== bundle.target && !dates.has(c));
  if (dates.size > 0) notices.push(`Date columns are not compared (every new batch is later by nature): ${[...dates].join(', ')}`);
  const report = compareWithSketch(reference.data, table, { ...options, only: inputs });
  const hasTarget = names.includes(bundle.target);
  const target = hasTarget ? (compareWithSketch(reference.data, table, { ...options, only: [bundle.target] }).columns[0] ?? null) : null;
  if (!hasTarget) notices.push(`${batchName} has no "${bundle.target}" column: no target drift and no measured performance`);
  const distributions: Record<string, Distribution> = {};
  const draw = (sketches: ReferenceRecord['data'], column: Column | undefined) => {
    const sketch = column && sketches.columns.find((c) => c.name === column.name);
    const distribution = sketch ? columnDistribution(sketch, column) : null;
    if (column && distribution) distributions[column.name] = distribution;
  };
  for (const name of [...inputs, bundle.target]) draw(reference.data, table.columns.find((c) => c.name === name));
  let prediction: ColumnDrift | null = null;
  let performance: BatchPerformance | null = null;
  if (scorable) {
    onPhase?.('predicting');
    const outputs = await modelOutputs(model.network, table, bundle);
    const column = predictionColumn(outputs, bundle);
    prediction = compareWithSketch(reference.predictions, { rowCount: table.rowCount, columns: [column] }, options).columns[0] ?? null;
    draw(reference.predictions, column);
    const classes = bundle.classes ?? [];
    const positive = bundle.task === 'binary' ? classes.indexOf(model.decision?.positiveClass ?? model.report?.positiveClass ?? classes[classes.length - 1] ?? '') : -1;
    performance = batchPerformance({
      task: bundle.task,
      classes,
      outputs,
      labels: hasTarget ? encodeTarget(table, bundle, allRows(table.rowCount)) : null,
      report: model.report,
      calibration: reference.calibration ?? null,
      ...(positive >= 0 ? { positive } : {}),
      ...(bundle.task === 'binary' && (model.decision?.threshold ?? model.report?.threshold) != null ? { threshold: (model.decision?.threshold ?? model.report?.threshold) as number } : {}),
    });
  }
  return { report, target, prediction, performance, distributions, rowsDropped, notices };
}
