// The champion on a candidate's test rows, the same for the ML worker and the CLI: checked against the run (target, task), scored, its classes mapped onto the run's by name.
import type { Predictor } from '../predictor.ts';
import { AppError } from '../../pipeline/errors.ts';
import { applyTransforms } from '../../pipeline/transforms.ts';
import type { DataTable, TaskKind, TransformBundle } from '../../pipeline/types.ts';
import { predictTable } from '../predict.ts';

/** What identifies a model in a comparison: how to name it, what it predicts, and its run (when known). */
export interface ComparedModel {
  /** e.g. 'Champion "species" v2', or the bundle folder's path. */
  label: string;
  target: string;
  task: TaskKind;
  runId?: string | undefined;
}

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');

/**
 * Refuses a champion that cannot be compared with the run: the same run (a model compared with itself), another
 * target (naming both), or another kind of task on the same target.
 */
export function checkChampion(champion: ComparedModel, run: ComparedModel): void {
  if (champion.runId !== undefined && champion.runId === run.runId) {
    throw new AppError('bad-argument', `${champion.label} is the same run as ${run.label} ("${run.runId}"): a model cannot be its own champion`);
  }
  if (champion.target !== run.target) {
    throw new AppError('bad-argument', `${champion.label}: champion trained for another target ("${champion.target}") than ${run.label}'s ("${run.target}")`, { column: champion.target });
  }
  if ((champion.task === 'regression') !== (run.task === 'regression')) {
    throw new AppError('bad-argument', `${champion.label} is a ${champion.task} model of "${run.target}"; ${run.label} is ${run.task}: their metrics cannot be compared`, { column: run.target });
  }
}

/**
 * Column c of the result holds the champion's column for the run's class `classes[c]`; refuses, naming them, classes
 * of the run the champion never learnt and classes the champion predicts that the run does not know.
 */
export function classOrder(championClasses: readonly string[], classes: readonly string[], label: string): Int32Array {
  const missing = classes.filter((name) => !championClasses.includes(name));
  if (missing.length) throw new AppError('bad-argument', `${label} has no class ${quoted(missing)} (its classes are ${quoted(championClasses)})`);
  const extra = championClasses.filter((name) => !classes.includes(name));
  if (extra.length) throw new AppError('bad-argument', `${label} predicts class ${quoted(extra)}, which the run does not have (its classes are ${quoted(classes)})`);
  return Int32Array.from(classes, (name) => championClasses.indexOf(name));
}

/**
 * The champion's outputs on the candidate's test rows of `table` (the table the candidate was trained and tested
 * on), through the champion's own transform bundle: regression, one prediction a row; classification, n × k
 * probabilities in the run's class order `classes`. Refuses a champion whose classes differ, naming them.
 */
export async function championOutputs(
  network: Predictor,
  bundle: TransformBundle,
  table: DataTable,
  testRows: Int32Array,
  classes: readonly string[],
  label = 'The champion',
): Promise<Float32Array> {
  const order = bundle.task === 'regression' ? null : classOrder(bundle.classes ?? [], classes, label);
  const x = applyTransforms(table, bundle, testRows);
  const out = await predictTable(network, x, testRows.length, bundle.width, bundle.task);
  if (!order) return out;
  const n = testRows.length;
  const from = bundle.classes?.length ?? 0;
  const k = order.length;
  const mapped = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) mapped[i * k + c] = out[i * from + order[c]!]!;
  return mapped;
}
