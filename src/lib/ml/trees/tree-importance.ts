// Permutation importance of a tree model: each source column shuffled among the rows in the table, the rows transformed and scored again.
import type { Column, DataTable, TransformBundle } from '../../pipeline/types.ts';
import { applyTransforms } from '../../pipeline/transforms.ts';
import { gainImportance } from '../gbdt/importance.ts';
import type { TreeModel } from './tree-model.ts';

/** The table with `name`'s values at the rows `used` moved as `order` says: row used[i] takes row used[order[i]]'s value. */
function shuffledTable(table: DataTable, name: string, used: Int32Array, order: Int32Array): DataTable {
  const columns = table.columns.map((column): Column => {
    if (column.name !== name) return column;
    if ('values' in column) {
      const values = column.values.slice();
      for (let i = 0; i < used.length; i++) values[used[i]!] = column.values[used[order[i]!]!]!;
      return { ...column, values };
    }
    const codes = column.codes.slice();
    for (let i = 0; i < used.length; i++) codes[used[i]!] = column.codes[used[order[i]!]!]!;
    return { ...column, codes };
  });
  return { rowCount: table.rowCount, columns };
}

/**
 * The trees' raw scores (the networks' logits: log-odds, class scores, values) of the rows `used` with source
 * column `column` shuffled by `order`, read as the importance scorers read logits.
 */
export function shuffledTreeScores(model: TreeModel, table: DataTable, bundle: TransformBundle, used: Int32Array, column: string, order: Int32Array): Float32Array {
  const x = applyTransforms(shuffledTable(table, column, used, order), bundle, used);
  return Float32Array.from(model.rawScores(x, used.length, bundle.width));
}

/** The trees' raw scores of the rows as they are. */
export function treeScores(model: TreeModel, table: DataTable, bundle: TransformBundle, used: Int32Array): Float32Array {
  return Float32Array.from(model.rawScores(applyTransforms(table, bundle, used), used.length, bundle.width));
}

/** Gain importance per tree column (LightGBM's importance_type="gain"), as shares of the total, largest first. */
export function treeGainImportance(model: TreeModel): { column: string; gain: number; share: number }[] {
  const gains = gainImportance(model.gbdt);
  const total = gains.reduce((a, b) => a + b, 0) || 1;
  return model.inputs
    .map((input, j) => ({ column: input.name, gain: gains[j]!, share: gains[j]! / total }))
    .sort((a, b) => b.gain - a.gain);
}
