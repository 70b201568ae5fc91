// The bundle's README.md: what the files are, and how to load and run the model (a network or trees) with predict.mjs in Node and a web page.
import type { RecipeStep } from '../recipe/types.ts';
import type { TaskKind } from '../types.ts';

export interface BundleReadmeInfo {
  name: string;
  version: number;
  target: string;
  task: TaskKind;
  classes?: string[] | undefined;
  decision?: { threshold: number; positiveClass: string } | undefined;
  /** The recipe's steps (recipe.json): hash and filter steps cannot run in predict.mjs. */
  steps: RecipeStep[];
  /** Gradient-boosted trees (model.json of format millrace.trees/1, no weights.bin): rounds and most leaves per tree. */
  trees?: { rounds: number; leaves: number | null } | undefined;
}

const plain = (text: string) => text.replace(/[\r\n]+/g, ' ');

function outputLines(info: BundleReadmeInfo): string[] {
  const predicted = `\`predicted_${plain(info.target)}\``;
  if (info.task === 'regression') return [`- ${predicted}: the predicted value.`];
  const lines = [
    `- ${predicted}: the predicted class (${(info.classes ?? []).map((c) => `\`${plain(c)}\``).join(', ')}).`,
    `- \`probability_<class>\`: the probability of each class.`,
  ];
  if (info.decision) {
    lines.push(`- The decision uses the saved threshold: \`${plain(info.decision.positiveClass)}\` when its probability is at least ${info.decision.threshold} (pipeline.json \`review.threshold\`).`);
  } else lines.push('- The predicted class is the most probable one.');
  return lines;
}

function limitLines(steps: RecipeStep[]): string[] {
  const lines: string[] = [];
  const hashed = steps.flatMap((step) => (step.kind === 'hash' ? [step.column] : []));
  if (hashed.length > 0) {
    lines.push(`**predict.mjs refuses this model**: its recipe hashes ${hashed.map((c) => `\`${plain(c)}\``).join(', ')} with the salt of the workspace it was trained in, which is not part of the bundle. Score it in Millrace.`);
  }
  if (steps.some((step) => step.kind === 'filter')) {
    lines.push('**predict.mjs refuses this model**: its recipe filters rows with an Arquero expression, which predict.mjs does not evaluate. Score it in Millrace.');
  }
  return lines;
}

/** The rows of the file table and the how-to sections that differ between a network and trees. */
function modelParts(info: BundleReadmeInfo): { files: string[]; node: string[]; page: string[] } {
  const usage = [
    '```js',
    "import { loadModel } from './predict.mjs';",
    "const model = await loadModel('./path/to/this/folder');",
    'const predictions = await model.predict([{ /* one plain object per row, keyed by column name */ }]);',
    '```',
  ];
  if (!info.trees) {
    return {
      files: [
        '| `model.json`, `weights.bin` | the network, loadable by `tf.loadLayersModel` (TensorFlow.js 4) |',
        '| `predict.mjs` | scores rows exactly as the studio does; it imports `@tensorflow/tfjs` (and nothing else) to run the network |',
      ],
      node: ['```sh', 'npm install @tensorflow/tfjs@4.22.0', 'node predict.mjs --data new-rows.csv > scored.csv   # also .json (an array of records)', '```', '', ...usage],
      page: [
        'Serve this folder, map `@tensorflow/tfjs` with an import map (its ES module build `dist/tf.fesm.min.js`), then:',
        '',
        ...pageSnippet('<script type="importmap">{ "imports": { "@tensorflow/tfjs": "./tf.fesm.min.js" } }</script>'),
      ],
    };
  }
  const { rounds, leaves } = info.trees;
  return {
    files: [
      `| \`model.json\` | gradient-boosted trees (${rounds} round${rounds === 1 ? '' : 's'}${leaves ? `, up to ${leaves} leaves a tree` : ''}) as plain JSON, format \`millrace.trees/1\`: the bin edges or levels of each input column, then each tree's nodes. **It is not a TF.js layers model**: \`tf.loadLayersModel\` cannot read it, and there is no \`weights.bin\` |`,
      '| `predict.mjs` | scores rows exactly as the studio does; for these trees it runs in plain JavaScript and needs no TF.js (it imports nothing) |',
    ],
    node: ['No packages to install: `predict.mjs` scores the trees itself.', '', '```sh', 'node predict.mjs --data new-rows.csv > scored.csv   # also .json (an array of records)', '```', '', ...usage],
    page: [
      'Serve this folder; no import map and no TF.js are needed for the trees:',
      '',
      ...pageSnippet(),
    ],
  };
}

/** The HTML lines that load the bundle in a page and score rows, after an optional import map line. */
function pageSnippet(importMap?: string): string[] {
  return [
    '```html',
    ...(importMap ? [importMap] : []),
    '<script type="module">',
    "  import { loadModel } from './predict.mjs';",
    "  const model = await loadModel(new URL('./', location.href).href);",
    '  console.log(await model.predict(rows));',
    '</script>',
    '```',
  ];
}

/** README.md of a bundle. */
export function bundleReadme(info: BundleReadmeInfo): string {
  const parts = modelParts(info);
  return [
    `# ${plain(info.name)} — version ${info.version}`,
    '',
    `A Millrace model bundle predicting \`${plain(info.target)}\` (${info.task}) with ${info.trees ? 'gradient-boosted trees' : 'a TensorFlow.js network'}. \`manifest.json\` holds the SHA-256 of every other file and the bundle format.`,
    '',
    '| file | what it is |',
    '|---|---|',
    parts.files[0]!,
    '| `transforms.json` | the fitted transforms that turn a row into the model\'s inputs |',
    '| `recipe.json` | the cleaning steps a file goes through first (`millrace check --recipe`) |',
    '| `pipeline.json` | the pipeline spec the model was trained with, and its decision threshold |',
    '| `review.json`, `metrics.json` | the evaluation report and the test metrics |',
    '| `model-card.md` | the model card |',
    parts.files[1]!,
    '| `reference.json` (when present) | the drift reference `millrace drift --reference` and the studio\'s Monitor compare new data with: a seeded sample of up to 100,000 training rows of the input columns and the target, category counts, and the model\'s predictions on its test rows. It is training data: leave it out (and rewrite `manifest.json`) before sharing the bundle where that data may not go |',
    '',
    '## Predicting in Node (20.16 or later)',
    '',
    ...parts.node,
    '',
    '## Predicting in a web page',
    '',
    ...parts.page,
    '',
    '## Output',
    '',
    '`predict(rows)` resolves to one object per row the recipe keeps (rows it drops are left out): `row`, the',
    "row's index in the array, then the prediction columns. `node predict.mjs` writes the cleaned input columns",
    'followed by the same columns, as the studio\'s scored CSV:',
    '',
    ...outputLines(info),
    ...(limitLines(info.steps).length > 0 ? ['', '## Limits', '', ...limitLines(info.steps)] : []),
    '',
  ].join('\n');
}
