// The ML worker's per-prediction attribution: one test row of a stored run explained column by column (exact for linear models, Integrated Gradients for MLPs).
import type { Predictor } from '../../src/lib/ml/predictor.ts';
import type { RowExplanation, RunRecord } from '../../src/lib/contracts/training.ts';
import { modelFromArtifacts } from '../../src/lib/ml/artifacts.ts';
import { attributeRow } from '../../src/lib/ml/review/attribution.ts';
import { testPredictions } from '../../src/lib/ml/review/predictions.ts';
import { evaluationRows } from '../../src/lib/ml/run.ts';
import { AppError } from '../../src/lib/pipeline/errors.ts';
import { cellValue, getColumn } from '../../src/lib/pipeline/table.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { loadVersionTable } from '../../src/lib/store/datasets.ts';
import { getRun } from '../../src/lib/store/runs.ts';
import { applyPreparation } from '../data/prepare.ts';
import { requireLocalData } from './import-model.ts';

/** The last run explained: its table, test rows and network stay loaded while the person steps through rows. */
let cached: { runId: string; run: RunRecord; table: DataTable; test: Int32Array; model: Predictor } | null = null;

async function loadRun(runId: string, ready: () => Promise<unknown>) {
  if (cached?.runId === runId) return cached;
  const run = await getRun(runId);
  requireLocalData(run, 'explaining a test row');
  const raw = await loadVersionTable(run.versionId);
  const table = run.preparation ? await applyPreparation(raw, run.preparation) : raw;
  const { test } = evaluationRows(table, run.spec, run.plan.task);
  await ready();
  const model = await modelFromArtifacts(run.modelJson, await run.weights.arrayBuffer());
  cached?.model.dispose();
  cached = { runId, run, table, test, model };
  return cached;
}

/**
 * Explains test row `position` (0-based, in the order of the run's test rows) of run `runId`: its values, actual and
 * predicted, and each column's attribution. 'bad-argument' naming the position when it is not a test row.
 */
export async function explainTestRow(runId: string, position: number, ready: () => Promise<unknown>): Promise<RowExplanation> {
  const { run, table, test, model } = await loadRun(runId, ready);
  if (!(Number.isInteger(position) && position >= 0 && position < test.length)) {
    throw new AppError('bad-argument', `Test row ${position + 1} does not exist: run "${runId}" has ${test.length} test rows (1 to ${test.length})`);
  }
  const row = test[position]!;
  const started = performance.now();
  const attribution = await attributeRow(model, table, run.bundle, row);
  const durationMs = performance.now() - started;
  const one = await testPredictions(model, table, run.bundle, Int32Array.of(row), null);
  const classes = run.bundle.classes ?? [];
  let predicted: string | number = one.outputs[0]!;
  if (run.bundle.task !== 'regression') {
    let best = 0;
    for (let c = 1; c < classes.length; c++) if (one.outputs[c]! > one.outputs[best]!) best = c;
    predicted = classes[best] ?? '';
  }
  const columns = [...new Set(attribution.columns.map((c) => c.column))];
  const values = Object.fromEntries(columns.map((c) => [c, cellValue(getColumn(table, c), row)]));
  const actual = cellValue(getColumn(table, run.bundle.target), row);
  return {
    position,
    testRows: test.length,
    values,
    actual: typeof actual === 'boolean' ? String(actual) : actual,
    predicted,
    method: attribution.method,
    output: attribution.output,
    className: attribution.className,
    value: attribution.value,
    baselineValue: attribution.baselineValue,
    relativeGap: attribution.relativeGap,
    columns: attribution.columns,
    durationMs,
  };
}
