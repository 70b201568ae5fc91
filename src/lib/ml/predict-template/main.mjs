// predict.mjs, part 5: loadModel(source) → { predict(rows) }, the scored CSV, and `node predict.mjs --data FILE`.
import { checkSteps, applySteps, stepsForScoring } from './recipe.mjs';
import { applyTransforms, checkTransforms } from './features.mjs';
import { cleanHeader, formatDate, NUMERIC_TYPES, tableOfCsv, tableOfRows } from './table.mjs';
import { isTreesJson, treeModel } from './trees.mjs';

const CHUNK_ROWS = 8192;
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** Reads the bundle's files: from a folder in Node (or a base URL anywhere), as text or bytes. */
function bundleReader(source) {
  const url = typeof source === 'string' && /^(https?|blob|data):/.test(source) ? source : source instanceof URL ? source.href : null;
  if (url !== null || !isNode) {
    const base = new URL(String(url ?? source).replace(/\/?$/, '/'), globalThis.location?.href);
    return async (name, binary) => {
      const response = await fetch(new URL(name, base));
      if (!response.ok) throw new Error(`Cannot read ${name} from ${base.href}: HTTP ${response.status}`);
      return binary ? new Uint8Array(await response.arrayBuffer()) : response.text();
    };
  }
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  return async (name, binary) => {
    const file = path.join(source, name);
    if (!fs.existsSync(file)) throw new Error(`The model folder ${source} has no ${name}`);
    return binary ? new Uint8Array(fs.readFileSync(file)) : fs.readFileSync(file, 'utf8');
  };
}

function parseJson(text, name) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON (${error.message})`, { cause: error });
  }
}

/** The binary decision the model was saved with: the positive class's index and the threshold; null: the most probable class. */
function decisionOf(bundle, spec) {
  const threshold = spec?.review?.threshold;
  if (bundle.task !== 'binary' || threshold === undefined || threshold === null) return null;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new Error(`pipeline.json: review.threshold ${JSON.stringify(threshold)} is not in [0, 1]`);
  const classes = bundle.classes ?? [];
  const positive = spec.review.positiveClass === undefined ? classes.length - 1 : classes.indexOf(spec.review.positiveClass);
  if (positive < 0) throw new Error(`pipeline.json: the positive class "${spec.review.positiveClass}" is not one of the classes ${classes.join(', ')}`);
  return { positive, threshold };
}

/** TensorFlow.js, imported only when model.json is a network: a tree model's bundle scores without it. */
async function importTf() {
  try {
    return await import('@tensorflow/tfjs');
  } catch (error) {
    throw new Error(`model.json is a TF.js layers model and @tensorflow/tfjs cannot be loaded (${error.message}); install it (npm install @tensorflow/tfjs@4.22.0) or, in a page, map it with an import map`, { cause: error });
  }
}

/** A network (TF.js layers model.json and its weights file) as { predict(x, n, width), dispose() }. */
async function networkModel(modelJson, read) {
  const tf = await importTf();
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weights = await read(modelJson.weightsManifest[0]?.paths[0] ?? 'weights.bin', true);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  return {
    kind: 'network',
    async predict(x, n, width) {
      const outputs = model.outputs[0].shape[1] ?? 1;
      const raw = new Float32Array(n * outputs);
      for (let start = 0; start < n; start += CHUNK_ROWS) {
        const rows = Math.min(CHUNK_ROWS, n - start);
        const out = tf.tidy(() => model.predictOnBatch(tf.tensor2d(x.subarray(start * width, (start + rows) * width), [rows, width])));
        raw.set(await out.data(), start * outputs);
        out.dispose();
      }
      return raw;
    },
    dispose: () => model.dispose(),
  };
}

/** The model's outputs for n rows of x; a binary model's P(class 1) widened to both classes' probabilities. */
async function predictMatrix(model, x, n, width, task) {
  const raw = await model.predict(x, n, width);
  if (task !== 'binary') return raw;
  const probs = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    probs[2 * i] = 1 - raw[i];
    probs[2 * i + 1] = raw[i];
  }
  return probs;
}

/**
 * Loads a Millrace model bundle: a folder path (Node) or a base URL (browser, or Node with http/https). Returns
 * { predict(rows), score(table), info }: predict takes an array of plain row objects and resolves to one object per
 * row the recipe keeps: { row (its index in `rows`), predicted_<target>, probability_<class>… }.
 */
export async function loadModel(source) {
  const read = bundleReader(source);
  const [modelJson, transforms, recipe, spec] = await Promise.all(
    ['model.json', 'transforms.json', 'recipe.json', 'pipeline.json'].map(async (name) => parseJson(await read(name, false), name)),
  );
  checkTransforms(transforms);
  if (recipe.format !== 'millrace.recipe/1') throw new Error(`recipe.json: format ${JSON.stringify(recipe.format)} is not millrace.recipe/1`);
  checkSteps(recipe.steps);
  const decision = decisionOf(transforms, spec);
  // Gradient-boosted trees are scored here in plain JavaScript; only a network needs TF.js.
  const trees = isTreesJson(modelJson);
  if (!trees && !Array.isArray(modelJson?.weightsManifest)) throw new Error('model.json is neither a TF.js layers model nor gradient-boosted trees (millrace.trees/1)');
  const model = trees ? treeModel(modelJson) : await networkModel(modelJson, read);
  const target = transforms.target;

  /** Scores a table (see tableOfRows/tableOfCsv): the cleaned table, the input row of each, and the prediction columns. */
  async function score(input) {
    const { table, rows } = applySteps(input, stepsForScoring(recipe.steps, input, target));
    const n = table.rowCount;
    const out = await predictMatrix(model, applyTransforms(table, transforms), n, transforms.width, transforms.task);
    const predictedName = `predicted_${target}`;
    if (transforms.task === 'regression') return { table, rows, columns: [{ name: predictedName, values: out }] };
    const classes = transforms.classes ?? [];
    const k = classes.length;
    const labels = new Array(n);
    const probabilities = classes.map(() => new Float32Array(n));
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 0; c < k; c++) {
        probabilities[c][i] = out[i * k + c];
        if (out[i * k + c] > out[i * k + best]) best = c;
      }
      if (decision) best = out[i * k + decision.positive] >= decision.threshold ? decision.positive : 1 - decision.positive;
      labels[i] = classes[best] ?? '';
    }
    return { table, rows, columns: [{ name: predictedName, values: labels }, ...classes.map((label, c) => ({ name: `probability_${label}`, values: probabilities[c] }))] };
  }

  return {
    info: { model: trees ? 'gradient-boosted trees' : 'network', target, task: transforms.task, classes: transforms.classes ?? null, threshold: decision?.threshold ?? null, positiveClass: decision ? transforms.classes[decision.positive] : null },
    score,
    async predict(rows) {
      const { rows: kept, columns } = await score(tableOfRows(rows));
      return kept.map((row, i) => Object.fromEntries([['row', row], ...columns.map((c) => [c.name, c.values[i]])]));
    },
    dispose: () => model.dispose(),
  };
}

/** The shortest decimal text that reads back as the same float32, as Millrace writes predictions. */
export function formatFloat32(value) {
  if (!Number.isFinite(value)) return '';
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(value);
}

function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell(column, i) {
  const v = column.values[i];
  if (!NUMERIC_TYPES.has(column.type)) return v;
  if (v !== v) return null;
  return column.type === 'boolean' ? v !== 0 : column.type === 'date' ? formatDate(v) : v;
}

/** A scored table as the CSV Millrace writes (its columns, then the predictions; CRLF line ends). */
export function scoredCsv({ table, columns }) {
  const header = cleanHeader([...table.columns.map((c) => c.name), ...columns.map((c) => c.name)]);
  const lines = [header.map(csvField).join(',')];
  for (let i = 0; i < table.rowCount; i++) {
    const fields = table.columns.map((c) => csvField(cell(c, i)));
    for (const c of columns) fields.push(csvField(c.values instanceof Float32Array ? formatFloat32(c.values[i]) : c.values[i]));
    lines.push(fields.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** `node predict.mjs --data FILE [--model DIR]`: the scored CSV on stdout (the model: this file's folder). */
async function main(argv) {
  const path = process.getBuiltinModule('node:path');
  const fs = process.getBuiltinModule('node:fs');
  const url = process.getBuiltinModule('node:url');
  const flag = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const data = flag('--data');
  if (!data) throw new Error('Usage: node predict.mjs --data FILE.csv|FILE.json [--model DIR]');
  const folder = flag('--model') ?? path.dirname(url.fileURLToPath(import.meta.url));
  if (!fs.existsSync(data)) throw new Error(`No such file: ${data}`);
  const text = fs.readFileSync(data, 'utf8');
  const table = /\.json$/i.test(data) ? tableOfRows(parseJson(text, data)) : tableOfCsv(text, path.basename(data));
  const model = await loadModel(folder);
  process.stdout.write(scoredCsv(await model.score(table)));
  model.dispose();
}

if (isNode && process.argv[1]) {
  const fs = process.getBuiltinModule('node:fs');
  const url = process.getBuiltinModule('node:url');
  const self = fs.realpathSync(url.fileURLToPath(import.meta.url));
  if (fs.existsSync(process.argv[1]) && fs.realpathSync(process.argv[1]) === self) {
    main(process.argv.slice(2)).catch((error) => {
      process.stderr.write(`predict.mjs: ${error.message}\n`);
      process.exit(1);
    });
  }
}
