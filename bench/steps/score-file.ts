// Bench step score-file: the 1M-row CSV scored with the benchmark model from file bytes to CSV bytes (parse, recipe, features, model, CSV write) by scoreFile, against the pre-optimisation path.
import type * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/lib/ml/backend-browser.ts';
import { scoreFile } from '../../src/lib/ml/score-file.ts';
import { prepareHelper } from '../../src/lib/ml/score-helper.ts';
import { scoreTable } from '../../src/lib/ml/score.ts';
import { trainModel } from '../../src/lib/ml/train.ts';
import { predictionsCsv } from '../../src/lib/pipeline/csv-write.ts';
import { fitPlan } from '../../src/lib/pipeline/features/fit.ts';
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { applyRecipe } from '../../src/lib/pipeline/recipe/apply.ts';
import type { RecipeStep } from '../../src/lib/pipeline/recipe/types.ts';
import { applyTransforms, encodeTarget } from '../../src/lib/pipeline/transforms.ts';
import type { TransformBundle } from '../../src/lib/pipeline/types.ts';
import { defineStep } from '../harness.ts';
import { ourParams, prepare } from './ml.ts';

/** The benchmark model's recipe: drop duplicate rows, fill missing f_normal with its median, keep adults of 25 and over. */
const RECIPE: RecipeStep[] = [
  { kind: 'drop-duplicates' },
  { kind: 'impute', columns: ['f_normal'], method: 'median' },
  { kind: 'filter', expression: 'd => d.i_age >= 25' },
];

interface State {
  bytes: Uint8Array;
  network: tf.LayersModel;
  bundle: TransformBundle;
  outBytes: number[];
  peerBytes: number[];
  /** The last run's scored CSV and the peer's, compared byte for byte at the end (the helper Worker's path). */
  lastOurs: Uint8Array[] | null;
  lastPeer: Uint8Array | null;
  rows: number;
  rejects: number;
}

const byteLength = (parts: Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

/** True when the parts hold exactly the bytes of `whole`. */
function sameBytes(parts: Uint8Array[], whole: Uint8Array): boolean {
  if (byteLength(parts) !== whole.length) return false;
  let at = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) if (part[i] !== whole[at + i]) return false;
    at += part.length;
  }
  return true;
}

export function registerScoreFileStep(): void {
  defineStep<State>({
    name: 'score-file',
    description:
      'scoreFile (the ML worker\'s scoring) on the 1M-row CSV bytes with the benchmark MLP (width→64→32→1, one epoch) and a 3-step recipe: parse, column check, recipe with rejects, then the model here while a helper Worker makes the input matrices and writes the CSV, 8k rows at a time',
    peer: 'the pre-optimisation path: parseFile, applyRecipe, scoreTable on the whole table, predictionsCsv string, TextEncoder',
    reps: 3,
    peerReps: 2,
    targets: [{ kind: 'maxMs', ms: 4000 }],
    async setup(ctx) {
      await chooseBackend('wasm');
      const { table, plan, train } = await prepare(ctx);
      const bundle = fitPlan(table, plan, train);
      ctx.log(`score-file: cross-origin isolated: ${String(globalThis.crossOriginIsolated === true)}`);
      ctx.log(`score-file: training the benchmark model one epoch on ${train.length} rows (width ${bundle.width})…`);
      const x = applyTransforms(table, bundle, train);
      const y = encodeTarget(table, bundle, train);
      const { model } = await trainModel(x, y, train.length, bundle.width, 'binary', 2, ourParams(1));
      const bytes = new Uint8Array(await (await ctx.csvFile()).arrayBuffer());
      return { bytes, network: model, bundle, outBytes: [], peerBytes: [], lastOurs: null, lastPeer: null, rows: 0, rejects: 0 };
    },
    // The ML worker starts the helper Worker when asked to score, and it loads while the file is read; the bench
    // hands over bytes already read, so it waits for the helper here, untimed.
    beforeEach: () => prepareHelper(),
    async run(state) {
      const out = await scoreFile(state.bytes, 'reference.csv', { network: state.network, bundle: state.bundle, steps: RECIPE });
      state.outBytes.push(byteLength(out.csv));
      state.lastOurs = out.csv;
      state.rows = out.rows;
      state.rejects = out.rejects?.rows ?? 0;
      if (out.rows + state.rejects !== 1_000_000) throw new Error(`bench: ${out.rows} scored + ${state.rejects} rejects is not 1,000,000`);
    },
    async peerRun(state) {
      const parsed = parseFile(state.bytes, 'reference.csv');
      const table = (await applyRecipe(parsed, { steps: RECIPE })).table;
      const columns = await scoreTable(state.network, state.bundle, table);
      state.lastPeer = new TextEncoder().encode(predictionsCsv(table, columns));
      state.peerBytes.push(state.lastPeer.length);
    },
    async breakdown(state, _ctx, time) {
      // Parts run once per batch are summed per run. 'wait' is the time the model waited for the helper; the
      // helper's parts (features, csv of the scored file) run meanwhile on the other core: the parts do not add up.
      const sums = new Map<string, number>();
      await scoreFile(
        state.bytes,
        'reference.csv',
        { network: state.network, bundle: state.bundle, steps: RECIPE },
        {
          time: async (part, work) => {
            const t0 = performance.now();
            const out = await work();
            sums.set(part, (sums.get(part) ?? 0) + performance.now() - t0);
            return out;
          },
          // The helper Worker's own times (input matrices, CSV writing), which overlap the model's.
          record: (part, ms) => sums.set(`helper: ${part}`, (sums.get(`helper: ${part}`) ?? 0) + ms),
        },
      );
      for (const [part, ms] of sums) time.record(part, ms);
    },
    async extra(state) {
      state.network.dispose();
      const ours = state.outBytes.at(-1) ?? 0;
      const peer = state.peerBytes.at(-1) ?? null;
      return {
        scoredRows: state.rows,
        rejectedRows: state.rejects,
        csvBytes: ours,
        peerCsvBytes: peer,
        // The same text would be the same size; the peer has no rejects file and the same columns.
        sameSize: peer === null ? null : peer === ours,
        sameBytes: state.lastOurs && state.lastPeer ? sameBytes(state.lastOurs, state.lastPeer) : null,
      };
    },
  });
}
