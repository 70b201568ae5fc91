// Trains gradient-boosted trees on the model's input matrix with the run's hooks: progress per round, Cancel, checkpoints, resume.
import type { TreesCheckpoint } from '../../contracts/training.ts';
import type { TaskKind, TransformBundle } from '../../pipeline/types.ts';
import type { ResolvedParams } from '../../pipeline/spec/resolve.ts';
import { trainGbdtAsync } from '../gbdt/train.ts';
import type { GbdtParams, GbdtTarget } from '../gbdt/types.ts';
import { CHECKPOINT_EVERY_MS, type EpochRecord, type TrainHooks, type TrainOutcome } from '../train.ts';
import { yieldTask } from '../../pipeline/yield-task.ts';
import { cappedLevelNotes, treeColumns, treeInputsOf } from './tree-input.ts';
import { TreeModel } from './tree-model.ts';

const YIELD_EVERY_MS = 50;

/** The trainer's parameters from the run's hyper-parameters (early stopping on: scikit-learn's 'auto', above 10,000 rows). */
export function gbdtParams(params: ResolvedParams, seed: number): Partial<GbdtParams> {
  return {
    learningRate: params.treeLearningRate,
    maxIter: params.rounds,
    maxLeafNodes: params.leaves,
    maxDepth: params.maxDepth,
    minSamplesLeaf: params.minLeafRows,
    l2: params.l2,
    earlyStopping: params.earlyStopping ? 'auto' : false,
    classWeight: params.classWeights === 'balanced' ? 'balanced' : null,
    seed,
  };
}

export interface TreeTraining {
  /** The row-major input matrix (n × bundle.width) fitted with `keepMissing`, and the encoded target. */
  x: Float32Array;
  y: Float32Array;
  n: number;
  task: TaskKind;
  bundle: TransformBundle;
  params: ResolvedParams;
  seed: number;
  resume?: TreesCheckpoint;
  checkpointEveryMs?: number;
}

/**
 * Boosts trees on the matrix: one history entry per round (the training loss, and the validation slice's when
 * early stopping holds one out), `hooks.shouldStop` seen after every round, and a checkpoint at most every
 * `checkpointEveryMs` and always before a cancel. A resumed run ends with the same trees as a straight one.
 */
export async function trainTrees(t: TreeTraining, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const inputs = treeInputsOf(t.bundle);
  const columns = treeColumns(inputs, t.x, t.n, t.bundle.width);
  const target: GbdtTarget =
    t.task === 'regression'
      ? { kind: 'values', values: Float64Array.from(t.y) }
      : { kind: 'classes', classes: Int32Array.from(t.y), nClasses: t.bundle.classes?.length ?? 2 };
  const history: EpochRecord[] = t.resume ? t.resume.history.map((h) => ({ ...h })) : [];
  const epochMs: number[] = t.resume ? [...t.resume.epochMs] : [];
  const every = t.checkpointEveryMs ?? CHECKPOINT_EVERY_MS;
  let lastWrite = performance.now();
  let roundStart = performance.now();
  let cancelled = false;
  let writes: Promise<void>[] = [];
  const write = (checkpoint: TreesCheckpoint) => {
    writes.push(Promise.resolve(hooks.onCheckpoint?.(checkpoint)));
    lastWrite = performance.now();
  };
  let lastYield = performance.now();
  // Between rounds: the checkpoint written, and every ~50 ms a turn of the event loop so that a Cancel gets in.
  const pause = async () => {
    if (writes.length) await Promise.all(writes.splice(0));
    if (performance.now() - lastYield < YIELD_EVERY_MS) return;
    await yieldTask();
    lastYield = performance.now();
  };
  const gbdt = await trainGbdtAsync({ columns, target }, gbdtParams(t.params, t.seed), {
    trackTrainLoss: true,
    ...(t.resume ? { resume: TreeModel.fromJson(t.resume.trees).gbdt } : {}),
    onRound: (round, info) => {
      const record: EpochRecord = info.validationLoss === null ? { epoch: round, loss: info.trainLoss } : { epoch: round, loss: info.trainLoss, valLoss: info.validationLoss };
      history.push(record);
      epochMs.push(performance.now() - roundStart);
      hooks.onEpoch?.(round, record.loss, record.valLoss);
      cancelled = hooks.shouldStop?.() === true;
      // The model so far is serialized only when a checkpoint is written (at most every `every` ms, and at a cancel).
      if (hooks.onCheckpoint && (cancelled || performance.now() - lastWrite >= every)) {
        write({ kind: 'trees', epoch: round, trees: new TreeModel(info.model(), inputs).toJson(), history: history.map((h) => ({ ...h })), epochMs: [...epochMs] });
      }
      roundStart = performance.now();
      return !cancelled;
    },
  }, pause);
  await Promise.all(writes);
  writes = [];
  const model = new TreeModel({ ...gbdt, notes: [...cappedLevelNotes(t.bundle), ...gbdt.notes] }, inputs);
  return { model, history, cancelled: cancelled && gbdt.rounds < t.params.rounds, bestEpoch: gbdt.rounds, epochMs };
}
