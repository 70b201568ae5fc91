// predict.mjs, part 4: gradient-boosted trees (model.json of format millrace.trees/1) scored in plain JavaScript, no TF.js.

const TREES_FORMAT = 'millrace.trees/1';
/** The bin of a missing value (and of a level the trees never saw, unless its column was capped). */
const MISSING_BIN = 255;

/** Whether a parsed model.json holds trees rather than a TF.js layers model. */
export function isTreesJson(json) {
  return !!json && typeof json === 'object' && json.format === TREES_FORMAT;
}

/** Refuses a tree model.json this module cannot score, naming the first field that is wrong. */
export function checkTrees(json) {
  const bad = (field) => new Error(`model.json: ${field} is missing or malformed in the tree model`);
  if (!['log_loss', 'softmax', 'squared_error'].includes(json.loss)) throw bad('loss');
  if (!Number.isInteger(json.outputs) || !Array.isArray(json.baseline) || json.baseline.length !== json.outputs) throw bad('baseline');
  if (!Array.isArray(json.inputs) || !Array.isArray(json.bins) || json.bins.length !== json.inputs.length) throw bad('bins');
  if (!Array.isArray(json.trees) || json.trees.length % json.outputs !== 0) throw bad('trees');
  json.trees.forEach((tree, t) => {
    const nodes = tree?.feature?.length ?? 0;
    const fields = ['threshold', 'missingLeft', 'left', 'right', 'value'];
    if (nodes === 0 || fields.some((f) => !Array.isArray(tree[f]) || tree[f].length !== nodes)) throw new Error(`model.json: tree ${t + 1} has node arrays of different lengths`);
    for (let i = 0; i < nodes; i++) {
      const f = tree.feature[i];
      if (f >= 0 && (f >= json.bins.length || !(tree.left[i] > i && tree.left[i] < nodes && tree.right[i] === tree.left[i] + 1))) {
        throw new Error(`model.json: tree ${t + 1}, node ${i}: its column or children are out of range`);
      }
    }
  });
}

/** The bin of a numeric value: the number of edges below it (value ≤ edges[b] → b); NaN → MISSING_BIN. */
function numericBin(edges, value) {
  if (value !== value) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The bins of n rows of the input matrix x (n × width), one Uint8Array per tree column. A numeric column reads its
 * slot; a categorical one its one-hot block (the slot holding 1 is the level; none: missing), the level then
 * matched by name to the trees' bins (a level they never saw: the pooled bin when capped, else missing).
 */
function binRows(json, x, n, width) {
  return json.inputs.map((input, j) => {
    const binned = json.bins[j];
    const out = new Uint8Array(n);
    if (input.kind === 'numeric') {
      for (let i = 0, p = input.at; i < n; i++, p += width) {
        const v = x[p];
        if (v === Infinity || v === -Infinity) throw new Error(`Column "${binned.name}" has an infinite value in row ${i + 1}; trees need finite numbers or missing values (replace it, or drop the row)`);
        out[i] = numericBin(binned.edges, v);
      }
      return out;
    }
    const binOf = new Map(binned.levels.map((level, bin) => [level, bin]));
    const fallback = binned.capped ? binned.levels.length : MISSING_BIN;
    const binOfSlot = input.levels.map((level) => binOf.get(level) ?? fallback);
    for (let i = 0, p = input.at; i < n; i++, p += width) {
      let bin = MISSING_BIN;
      for (let k = 0; k < input.slots; k++) {
        if (x[p + k] === 1) {
          bin = binOfSlot[k];
          break;
        }
      }
      out[i] = bin;
    }
    return out;
  });
}

/** One tree with each categorical split's 256-bit set of left-going bins (null for a numeric split). */
function compileTree(tree) {
  const words = new Array(tree.feature.length).fill(null);
  for (const { node, words: w } of tree.categories ?? []) if (w.some((word) => word !== 0)) words[node] = Uint32Array.from(w);
  return { ...tree, words };
}

/** The leaf value tree reaches for row i: bin ≤ threshold (or a bin in the categorical set) goes left, the missing bin as missingLeft says. */
function leafValue(tree, bins, i) {
  let node = 0;
  for (let f = tree.feature[0]; f >= 0; f = tree.feature[node]) {
    const bin = bins[f][i];
    const set = tree.words[node];
    const left = bin === MISSING_BIN ? tree.missingLeft[node] !== 0 : set ? ((set[bin >>> 5] >>> (bin & 31)) & 1) === 1 : bin <= tree.threshold[node];
    node = left ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

/** The trees as a model scoring the input matrix like the network of the same task (see outputs). */
export function treeModel(json) {
  checkTrees(json);
  const trees = json.trees.map(compileTree);
  const k = json.outputs;
  return {
    kind: 'trees',
    /**
     * n rows of x as a network outputs them, float32: P(last class) for two classes, the class probabilities
     * (n × classes) for more, the value for regression. Raw scores are the baseline plus each tree's leaf, in float64.
     */
    predict(x, n, width) {
      const bins = binRows(json, x, n, width);
      const raw = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let t = c; t < trees.length; t += k) sum += leafValue(trees[t], bins, i);
          raw[i * k + c] = json.baseline[c] + sum;
        }
      }
      return rawToOutput(json.loss, raw, n, k);
    },
    dispose() {},
  };
}

/** Raw scores into what the task reports, as Millrace does: sigmoid (P of the last class), softmax, or the values. */
function rawToOutput(loss, raw, n, k) {
  if (loss === 'squared_error') return Float32Array.from(raw);
  if (loss === 'log_loss') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = raw[i];
      out[i] = r >= 0 ? 1 / (1 + Math.exp(-r)) : Math.exp(r) / (1 + Math.exp(r));
    }
    return out;
  }
  const out = new Float32Array(n * k);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, raw[i * k + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += p[c] = Math.exp(raw[i * k + c] - max);
    for (let c = 0; c < k; c++) out[i * k + c] = p[c] / sum;
  }
  return out;
}
