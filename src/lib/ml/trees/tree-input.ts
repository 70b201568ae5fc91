// The trees' input columns from the model's input matrix: one-hot blocks folded back into one native categorical column, every other slot a number.
import type { TransformBundle } from '../../pipeline/types.ts';
import { fittedFeatureNames } from '../../pipeline/transforms.ts';
import { MAX_CATEGORY_BINS, type GbdtColumn } from '../gbdt/types.ts';

import type { TreeInput } from '../../contracts/trees.ts';

export type { TreeInput };

/** Most levels a tree model's one-hot feature keeps (the most frequent): with "other" they fill the bins the trees split natively. */
export const TREE_LEVELS = MAX_CATEGORY_BINS - 1;

/** What to tell the person about the categorical columns that hit TREE_LEVELS. */
export function cappedLevelNotes(bundle: Pick<TransformBundle, 'features'>): string[] {
  return bundle.features.flatMap((f) =>
    f.kind === 'onehot' && f.levels.length >= TREE_LEVELS
      ? [`"${f.name ?? f.column}" has more than ${TREE_LEVELS} levels: the trees split on the ${TREE_LEVELS} most frequent, and the others share "other"`]
      : [],
  );
}

/** The tree columns of a bundle, in matrix order: each one-hot feature is one categorical column. */
export function treeInputsOf(bundle: Pick<TransformBundle, 'features' | 'featureNames'>): TreeInput[] {
  const out: TreeInput[] = [];
  let at = 0;
  for (const feature of bundle.features) {
    const names = fittedFeatureNames(feature);
    if (feature.kind === 'onehot') {
      const levels = feature.other ? [...feature.levels, 'other'] : [...feature.levels];
      out.push({ kind: 'categorical', name: feature.name ?? feature.column, at, slots: names.length, levels });
    } else {
      names.forEach((name, k) => out.push({ kind: 'numeric', name, at: at + k }));
    }
    at += names.length;
  }
  return out;
}

/** The tree columns of `n` rows of the row-major matrix `x` (n × width). */
export function treeColumns(inputs: TreeInput[], x: Float32Array, n: number, width: number): GbdtColumn[] {
  return inputs.map((input): GbdtColumn => {
    if (input.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0, p = input.at; i < n; i++, p += width) values[i] = x[p]!;
      return { name: input.name, kind: 'numeric', values };
    }
    const codes = new Int32Array(n).fill(-1);
    for (let i = 0, p = input.at; i < n; i++, p += width) {
      for (let k = 0; k < input.slots; k++) {
        if (x[p + k] === 1) {
          codes[i] = k;
          break;
        }
      }
    }
    return { name: input.name, kind: 'categorical', codes, levels: input.levels };
  });
}
