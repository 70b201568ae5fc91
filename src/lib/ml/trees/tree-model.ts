// A fitted tree model as the rest of the app uses it: scores the input matrix like a network, and reads and writes its model.json.
import type { TreeBinsJson, TreeJson, TreesJson } from '../../contracts/trees.ts';
import { AppError } from '../../pipeline/errors.ts';
import { compileForest, predictRaw, rawToOutput, type Forest } from '../gbdt/predict.ts';
import type { BinnedColumn, GbdtModel, GbdtParams, GbdtTree } from '../gbdt/types.ts';
import { treeColumns, type TreeInput } from './tree-input.ts';

export const TREES_FORMAT = 'millrace.trees/1';

/** Gradient-boosted trees over the columns `inputs` reads from the model's input matrix. Not a TF.js model. */
export class TreeModel {
  readonly kind = 'trees' as const;
  private compiled: Forest | null = null;

  constructor(
    readonly gbdt: GbdtModel,
    readonly inputs: TreeInput[],
  ) {}

  get forest(): Forest {
    return (this.compiled ??= compileForest(this.gbdt));
  }

  /** Numbers per row from `predict`: P(last class) for two classes, one probability per class for more, the value for regression. */
  get outputWidth(): number {
    return this.gbdt.loss === 'softmax' ? this.gbdt.outputs : 1;
  }

  /** Raw scores (margins) of n rows of the row-major matrix x, n × gbdt.outputs. */
  rawScores(x: Float32Array, n: number, width: number): Float64Array {
    return predictRaw(this.gbdt, treeColumns(this.inputs, x, n, width), n, this.forest);
  }

  /** What a network of the same task outputs for n rows of x (n × outputWidth, row-major). */
  predict(x: Float32Array, n: number, width: number): Float32Array {
    const raw = this.rawScores(x, n, width);
    if (this.gbdt.loss === 'squared_error') return Float32Array.from(raw);
    const probabilities = rawToOutput(this.gbdt, raw, n);
    if (this.gbdt.loss === 'softmax') return Float32Array.from(probabilities);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = probabilities[2 * i + 1]!;
    return out;
  }

  /** Nothing to free (no tensors); here so that a model of either family can be disposed alike. */
  dispose(): void {}

  toJson(): TreesJson {
    const g = this.gbdt;
    return {
      format: TREES_FORMAT,
      generatedBy: 'Millrace histogram gradient boosting',
      loss: g.loss,
      outputs: g.outputs,
      baseline: [...g.baseline],
      inputs: this.inputs.map((input) => ({ ...input })),
      bins: g.columns.map(binsToJson),
      trees: g.trees.map(treeToJson),
      rounds: g.rounds,
      stoppedEarly: g.stoppedEarly,
      trainLoss: [...g.trainLoss],
      validationLoss: [...g.validationLoss],
      params: { ...g.params },
      notes: [...g.notes],
    };
  }

  /** Reads model.json of a tree model; throws naming the first field that is wrong. */
  static fromJson(json: unknown): TreeModel {
    const j = json as Partial<TreesJson> | null;
    const bad = (field: string) => new AppError('bad-bundle', `model.json: ${field} is missing or malformed in the tree model`);
    if (!j || j.format !== TREES_FORMAT) throw bad('format');
    if (j.loss !== 'log_loss' && j.loss !== 'softmax' && j.loss !== 'squared_error') throw bad('loss');
    if (!Number.isInteger(j.outputs) || !Array.isArray(j.baseline) || j.baseline.length !== j.outputs) throw bad('baseline');
    if (!Array.isArray(j.inputs) || !Array.isArray(j.bins) || j.bins.length !== j.inputs.length) throw bad('bins');
    if (!Array.isArray(j.trees) || j.trees.length % j.outputs! !== 0) throw bad('trees');
    j.trees.forEach((tree, t) => checkTree(tree, t, j.bins!.length));
    const gbdt: GbdtModel = {
      format: 'millrace.gbdt/1',
      loss: j.loss,
      outputs: j.outputs!,
      columns: j.bins.map(binsFromJson),
      baseline: [...j.baseline],
      trees: j.trees.map(treeFromJson),
      params: j.params as unknown as GbdtParams,
      rounds: j.rounds ?? j.trees.length / j.outputs!,
      trainLoss: j.trainLoss ?? [],
      validationLoss: j.validationLoss ?? [],
      stoppedEarly: j.stoppedEarly ?? false,
      notes: j.notes ?? [],
    };
    return new TreeModel(gbdt, j.inputs);
  }
}

/** Whether a parsed model.json is a tree model's. */
export function isTreesJson(json: unknown): json is TreesJson {
  return !!json && typeof json === 'object' && (json as { format?: unknown }).format === TREES_FORMAT;
}

function binsToJson(column: BinnedColumn): TreeBinsJson {
  return column.kind === 'numeric'
    ? { name: column.name, kind: 'numeric', edges: [...column.edges] }
    : { name: column.name, kind: 'categorical', levels: [...column.levels], capped: column.capped };
}

function binsFromJson(column: TreeBinsJson): BinnedColumn {
  return column.kind === 'numeric' ? { name: column.name, kind: 'numeric', edges: Float64Array.from(column.edges) } : { ...column, levels: [...column.levels] };
}

function treeToJson(tree: GbdtTree): TreeJson {
  const categories: TreeJson['categories'] = [];
  for (let node = 0; node < tree.feature.length; node++) {
    const words = [...tree.categories.subarray(node * 8, node * 8 + 8)];
    if (words.some((w) => w !== 0)) categories.push({ node, words });
  }
  return {
    feature: [...tree.feature],
    threshold: [...tree.threshold],
    missingLeft: [...tree.missingLeft],
    left: [...tree.left],
    right: [...tree.right],
    value: [...tree.value],
    gain: [...tree.gain],
    count: [...tree.count],
    categories,
  };
}

function treeFromJson(tree: TreeJson): GbdtTree {
  const categories = new Uint32Array(tree.feature.length * 8);
  for (const { node, words } of tree.categories) categories.set(words, node * 8);
  return {
    feature: Int32Array.from(tree.feature),
    threshold: Uint8Array.from(tree.threshold),
    missingLeft: Uint8Array.from(tree.missingLeft),
    categories,
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    value: Float64Array.from(tree.value),
    gain: Float64Array.from(tree.gain),
    count: Int32Array.from(tree.count),
  };
}

function checkTree(tree: TreeJson, t: number, columns: number): void {
  const where = `model.json: tree ${t + 1}`;
  const nodes = tree?.feature?.length ?? 0;
  const fields = ['threshold', 'missingLeft', 'left', 'right', 'value', 'gain', 'count'] as const;
  if (nodes === 0 || fields.some((f) => !Array.isArray(tree[f]) || tree[f].length !== nodes)) throw new AppError('bad-bundle', `${where} has node arrays of different lengths`);
  for (let i = 0; i < nodes; i++) {
    const f = tree.feature[i]!;
    if (f < 0) continue;
    if (f >= columns || !(tree.left[i]! > i && tree.left[i]! < nodes && tree.right[i] === tree.left[i]! + 1)) {
      throw new AppError('bad-bundle', `${where}, node ${i}: its column or children are out of range`);
    }
  }
}
