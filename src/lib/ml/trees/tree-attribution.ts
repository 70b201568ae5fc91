// Why the trees predicted what they did for one row: exact TreeSHAP per tree column, in the output space the networks are explained in.
import { AppError } from '../../pipeline/errors.ts';
import type { TransformBundle } from '../../pipeline/types.ts';
import { treeShap } from '../gbdt/shap.ts';
import { outputSpace, summarize, type Attribution } from '../review/attribution-summary.ts';
import { outputWeights } from '../review/network.ts';
import { treeColumns } from './tree-input.ts';
import type { TreeModel } from './tree-model.ts';

/**
 * TreeSHAP of the transformed row `x`: each tree column's share of the raw score (the value, the log-odds, or
 * the class's centred logit) against the trees' expected score over the training rows, which is the
 * `baselineValue`. Exact, so the shares add up to value − baselineValue. A one-hot block's share goes to its
 * active slot (the first when the level is missing).
 */
export function treeAttributions(model: TreeModel, bundle: TransformBundle, x: Float32Array, classIndex?: number): Attribution {
  if (x.length !== bundle.width) throw new AppError('bad-argument', `The row has ${x.length} values but the transform bundle makes ${bundle.width}`);
  const classes = bundle.classes ?? [];
  if (classIndex !== undefined && bundle.task === 'regression') throw new AppError('bad-argument', 'A regression model has no classes to explain');
  if (classIndex !== undefined && !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < classes.length)) {
    throw new AppError('bad-argument', `Class index ${classIndex} is out of range: the model has ${classes.length} classes`);
  }
  const { gbdt, inputs } = model;
  const k = gbdt.outputs;
  const columns = treeColumns(inputs, x, 1, bundle.width);
  const { values, expected } = treeShap(gbdt, columns, 1);
  const raw = new Float64Array(k);
  for (let o = 0; o < k; o++) {
    raw[o] = expected[o]!;
    for (let j = 0; j < inputs.length; j++) raw[o]! += values[j * k + o]!;
  }
  const predicted = bundle.task === 'regression' ? null : k === 1 ? (raw[0]! >= 0 ? 1 : 0) : raw.indexOf(Math.max(...raw));
  const chosen = bundle.task === 'regression' ? null : (classIndex ?? predicted);
  const v = outputWeights(bundle.task, k, chosen);
  const project = (at: (o: number) => number) => {
    let sum = 0;
    for (let o = 0; o < k; o++) sum += v[o]! * at(o);
    return sum;
  };
  const slots = new Array<number>(bundle.width).fill(0);
  inputs.forEach((input, j) => {
    let slot = input.at;
    if (input.kind === 'categorical') {
      for (let s = 0; s < input.slots; s++) if (x[input.at + s] === 1) slot = input.at + s;
    }
    slots[slot]! += project((o) => values[j * k + o]!);
  });
  return summarize(bundle, slots, {
    method: 'tree-shap',
    output: outputSpace(bundle),
    classIndex: chosen,
    className: chosen === null ? null : (classes[chosen] ?? null),
    value: project((o) => raw[o]!),
    baselineValue: project((o) => expected[o]!),
    integration: null,
    steps: null,
  });
}
