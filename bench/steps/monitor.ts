// Bench step monitor: a 100k-row unlabelled batch against the benchmark model's reference (input drift, prediction drift, the label-free performance estimate) by checkBatch, as the ML worker runs it.
import type * as tf from '@tensorflow/tfjs';
import type { ReferenceRecord } from '../../src/lib/contracts/monitor.ts';
import { chooseBackend } from '../../src/lib/ml/backend-browser.ts';
import { checkBatch } from '../../src/lib/ml/monitor/check-batch.ts';
import { makeReference, pickRows } from '../../src/lib/ml/monitor/reference.ts';
import { trainModel } from '../../src/lib/ml/train.ts';
import { fitPlan } from '../../src/lib/pipeline/features/fit.ts';
import { applyTransforms, encodeTarget } from '../../src/lib/pipeline/transforms.ts';
import type { DataTable, TransformBundle } from '../../src/lib/pipeline/types.ts';
import { defineStep } from '../harness.ts';
import { ourParams, prepare } from './ml.ts';

const BATCH_ROWS = 100_000;

interface State {
  network: tf.LayersModel;
  bundle: TransformBundle;
  reference: ReferenceRecord;
  batch: DataTable;
  drifted: string[];
  estimate: number | null;
}

export function registerMonitorStep(): void {
  defineStep<State>({
    name: 'monitor',
    description:
      'checkBatch: 100k test rows of the 1M-row table without their label against the benchmark MLP\'s reference (its 792k training rows sketched, its test predictions): drift of the 15 input columns, prediction drift, the label-free accuracy/F1/AUC estimate',
    reps: 5,
    targets: [{ kind: 'maxMs', ms: 2000 }],
    async setup(ctx) {
      await chooseBackend('wasm');
      const { table, plan, train, test } = await prepare(ctx);
      const bundle = fitPlan(table, plan, train);
      ctx.log(`monitor: training the benchmark model one epoch on ${train.length} rows (width ${bundle.width})…`);
      const x = applyTransforms(table, bundle, train);
      const y = encodeTarget(table, bundle, train);
      const { model } = await trainModel(x, y, train.length, bundle.width, 'binary', 2, ourParams(1));
      const started = performance.now();
      const reference = await makeReference('bench', model, table, bundle, { train, test }, 'training');
      ctx.log(`monitor: reference made in ${(performance.now() - started).toFixed(0)} ms (calibration used: ${String(reference.calibration?.used)})`);
      const columns = table.columns.map((c) => c.name).filter((name) => name !== plan.target);
      const batch = pickRows(table, columns, test.subarray(0, BATCH_ROWS));
      return { network: model, bundle, reference, batch, drifted: [], estimate: null };
    },
    async run(state) {
      const check = await checkBatch({ network: state.network, bundle: state.bundle, steps: [], report: null }, state.reference, state.batch, 'batch');
      if (!check.prediction || !check.performance?.estimate) throw new Error('bench: monitor made no prediction drift or estimate');
      state.drifted = check.report.columns.filter((c) => c.drifted).map((c) => c.column);
      state.estimate = check.performance.estimate.accuracy;
    },
    async extra(state) {
      state.network.dispose();
      // Test rows of the same table: nothing should drift, and the estimate should sit near the test accuracy.
      return { batchRows: state.batch.rowCount, driftedColumns: state.drifted, estimatedAccuracy: state.estimate };
    },
  });
}
