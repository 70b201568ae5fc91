// Specs shared by the spec tests: a minimal and a full spec, and bad specs with the exact message each gets.
import { AppError } from '../../../../src/lib/pipeline/errors.ts';
import { parseSpec } from '../../../../src/lib/pipeline/spec/validate.ts';
import type { PipelineSpec } from '../../../../src/lib/pipeline/spec/types.ts';

export const FORMAT = 'millrace.pipeline/1';

/** The smallest spec there is. */
export const minimal = () => ({ format: FORMAT, target: 'Miles_per_Gallon' });

/** `minimal()` with every default filled in, written out by hand: a changed default fails the tests. */
export const minimalFilled = (): PipelineSpec => ({
  format: FORMAT,
  input: { dataset: null, version: null, sha256: null, types: {}, dateFormats: {} },
  check: { recipe: null, rules: null, privacy: [] },
  features: null,
  target: 'Miles_per_Gallon',
  task: null,
  split: { kind: 'auto', seed: 42, timeColumn: null, folds: null },
  model: {
    kind: 'auto',
    epochs: 100,
    earlyStopping: true,
    learningRate: 0.01,
    hidden: [32],
    activation: 'relu',
    dropout: 0,
    l2: 0,
    classWeights: 'none',
    batchSize: null,
    rounds: 100,
    leaves: 31,
    treeLearningRate: 0.1,
    minLeafRows: 20,
    maxDepth: null,
    search: null,
  },
  review: null,
  monitor: null,
});

/** A spec that sets every part: recipe, rule suite, privacy decisions, feature set, time split, folds and a search with a space. */
export const full = () => ({
  format: FORMAT,
  input: {
    dataset: 'cars.json',
    version: 3,
    sha256: '0facf769609f1205b82cbceb8238c36af3e6147a0ca0e163902cc6281ce3e917',
    types: { Cylinders: 'category' },
    dateFormats: { Year: 'yyyy-mm-dd' },
  },
  check: {
    recipe: {
      version: 2,
      steps: [
        { kind: 'replace', columns: ['Origin'], from: ['.'], to: null },
        { kind: 'drop-missing', columns: ['Horsepower'], how: 'any' },
        { kind: 'clip-outliers', column: 'Weight_in_lbs', lower: 0.01, upper: 0.99, bounds: { low: 1800, high: 4900 } },
        { kind: 'impute', columns: ['Acceleration'], method: 'median', fitted: { Acceleration: 15.5 } },
      ],
    },
    rules: {
      name: 'cars checks',
      version: 4,
      rules: [
        { id: 'mpg-present', kind: 'not-null', column: 'Miles_per_Gallon', severity: 'block' },
        { id: 'hp-range', kind: 'in-range', column: 'Horsepower', min: 0, max: 500, severity: 'warn', mostly: 0.99 },
        { id: 'heavy', kind: 'expression', expression: "d => d['Weight_in_lbs'] < 6000", severity: 'warn' },
      ],
      reference: 2,
    },
    privacy: [
      { column: 'Name', action: 'allow', note: 'car model names, not people' },
      { column: 'Owner', action: 'mask', keep: 2 },
      { column: 'Email', action: 'hash' },
      { column: 'Phone', action: 'drop' },
    ],
  },
  features: {
    name: 'cars-mpg',
    version: 1,
    features: [
      { name: 'Horsepower', column: 'Horsepower', transform: 'standardize' },
      { name: 'Weight_in_lbs', column: 'Weight_in_lbs', transform: 'standardize' },
      { name: 'Origin', column: 'Origin', transform: 'onehot', params: { minCount: 5 } },
    ],
  },
  target: 'Miles_per_Gallon',
  task: 'regression',
  split: { kind: 'time', seed: 7, timeColumn: 'Year', folds: 5 },
  model: {
    kind: 'mlp',
    epochs: 40,
    earlyStopping: false,
    learningRate: 0.03,
    hidden: [64, 32],
    activation: 'tanh',
    dropout: 0.1,
    l2: 0.0001,
    classWeights: 'none',
    batchSize: 32,
    rounds: 100,
    leaves: 31,
    treeLearningRate: 0.1,
    minLeafRows: 20,
    maxDepth: null,
    search: {
      strategy: 'random',
      trials: 4,
      minutes: 2.5,
      space: { kind: ['linear', 'mlp'], learningRate: [0.01, 0.03], hidden: [[16], [32, 16]], dropout: [0, 0.2], batchSize: [null, 64] },
    },
  },
  review: null,
  monitor: null,
});

/** Specs that must be accepted (as given, and in their filled-in form). */
export const accepted = (): { name: string; spec: Record<string, unknown> }[] => [
  { name: 'minimal', spec: minimal() },
  { name: 'full', spec: full() },
  { name: 'classification with a stratified split', spec: { ...minimal(), target: 'Species', task: 'multiclass', split: { kind: 'stratified', seed: 4294967295 } } },
  { name: 'a grid search with no budget', spec: { ...minimal(), model: { kind: 'linear', search: { strategy: 'grid', space: { l2: [0, 0.001] } } } } },
  { name: 'a search on time alone', spec: { ...minimal(), model: { search: { strategy: 'random', minutes: 1 } } } },
  { name: 'a recipe and rules with only their required fields', spec: { ...minimal(), check: { recipe: { steps: [] }, rules: { rules: [] } } } },
  { name: 'the largest batch size and epochs', spec: { ...minimal(), model: { batchSize: 65536, epochs: 100000, learningRate: 9.99, dropout: 0.99 } } },
];

export interface Refusal {
  name: string;
  spec: unknown;
  message: string;
  /** An independent JSON Schema validator refuses it too (false: only the checks the schema cannot say refuse it). */
  schema: boolean;
}

const withModel = (model: Record<string, unknown>) => ({ ...minimal(), model });
const withSplit = (split: Record<string, unknown>) => ({ ...minimal(), split });
const withCheck = (check: Record<string, unknown>) => ({ ...minimal(), check });
const withPrivacy = (...privacy: unknown[]) => withCheck({ privacy });
const withSpace = (space: unknown) => withModel({ search: { strategy: 'grid', space } });

/** One bad spec of each kind, with the exact message it is refused with. */
export const refusals = (): Refusal[] => [
  { name: 'an unknown field at the top', spec: { ...minimal(), seed: 1 }, schema: true, message: 'seed: unknown field; the fields are format, input, check, features, target, task, split, model, review, monitor' },
  { name: 'an unknown nested field', spec: withSplit({ sed: 1 }), schema: true, message: 'split.sed: unknown field; the fields are kind, seed, timeColumn, folds' },
  { name: 'an unknown field deep down', spec: withModel({ search: { strategy: 'grid', space: {}, budget: 3 } }), schema: true, message: 'model.search.budget: unknown field; the fields are strategy, trials, minutes, space' },
  { name: 'an unknown field of a privacy decision', spec: withPrivacy({ column: 'Name', action: 'drop', why: 'x' }), schema: true, message: 'check.privacy[0].why: unknown field; the fields are column, action, keep, note' },
  { name: 'a field name that needs quotes', spec: withSplit({ 'time column': 'Year' }), schema: true, message: 'split["time column"]: unknown field; the fields are kind, seed, timeColumn, folds' },
  { name: 'text for a whole number', spec: withModel({ epochs: '10' }), schema: true, message: 'model.epochs: "10" is not a whole number' },
  { name: 'a fraction for a whole number', spec: withModel({ epochs: 10.5 }), schema: true, message: 'model.epochs: 10.5 is not a whole number' },
  { name: 'null where null is not allowed', spec: withModel({ epochs: null }), schema: true, message: 'model.epochs: null is not a whole number' },
  { name: 'text for a switch', spec: withModel({ earlyStopping: 'no' }), schema: true, message: 'model.earlyStopping: "no" is not true or false' },
  { name: 'a number for an object', spec: { ...minimal(), split: 5 }, schema: true, message: 'split: 5 is not an object' },
  { name: 'dropout not below 1', spec: withModel({ dropout: 1.5 }), schema: true, message: 'model.dropout: 1.5 is not below 1' },
  { name: 'dropout exactly 1', spec: withModel({ dropout: 1 }), schema: true, message: 'model.dropout: 1 is not below 1' },
  { name: 'a learning rate of 0', spec: withModel({ learningRate: 0 }), schema: true, message: 'model.learningRate: 0 is not above 0' },
  { name: 'a negative L2 penalty', spec: withModel({ l2: -0.1 }), schema: true, message: 'model.l2: -0.1 is below 0' },
  { name: 'a seed above 2³²−1', spec: withSplit({ seed: 4294967296 }), schema: true, message: 'split.seed: 4294967296 is above 4294967295' },
  { name: 'a negative seed', spec: withSplit({ seed: -1 }), schema: true, message: 'split.seed: -1 is below 0' },
  { name: 'one fold', spec: withSplit({ folds: 1 }), schema: true, message: 'split.folds: 1 is below 2' },
  { name: 'an empty layer list', spec: withModel({ hidden: [] }), schema: true, message: 'model.hidden: needs at least 1 value' },
  { name: 'a layer of size 0', spec: withModel({ hidden: [16, 0] }), schema: true, message: 'model.hidden[1]: 0 is below 1' },
  { name: 'an unknown activation', spec: withModel({ activation: 'sigmoid' }), schema: true, message: 'model.activation: "sigmoid" is not one of relu, tanh, gelu' },
  { name: 'an unknown model kind', spec: withModel({ kind: 'forest' }), schema: true, message: 'model.kind: "forest" is not one of auto, linear, mlp, gbdt' },
  { name: 'an unknown task', spec: { ...minimal(), task: 'ranking' }, schema: true, message: 'task: "ranking" is not one of binary, multiclass, regression' },
  { name: 'an unknown column type', spec: { ...minimal(), input: { types: { Year: 'float' } } }, schema: true, message: 'input.types.Year: "float" is not one of integer, number, boolean, date, category, text' },
  { name: 'a short SHA-256', spec: { ...minimal(), input: { sha256: 'abc' } }, schema: true, message: 'input.sha256: "abc" is not 64 hex digits' },
  { name: 'a SHA-256 that is not hex', spec: { ...minimal(), input: { sha256: 'Z'.repeat(64) } }, schema: true, message: `input.sha256: "${'Z'.repeat(56)}… is not 64 hex digits` },
  { name: 'a missing target', spec: { format: FORMAT }, schema: true, message: 'target: is missing' },
  { name: 'an empty target', spec: { ...minimal(), target: '' }, schema: true, message: 'target: is empty' },
  { name: 'a missing format', spec: { target: 'y' }, schema: true, message: 'format: is missing' },
  { name: 'a wrong format', spec: { ...minimal(), format: 'millrace.recipe/1' }, schema: true, message: 'format: "millrace.recipe/1" is not "millrace.pipeline/1"' },
  {
    name: 'a newer format',
    spec: { ...minimal(), format: 'millrace.pipeline/2' },
    schema: true,
    message: 'format: "millrace.pipeline/2" is a newer pipeline format than this version of Millrace reads (millrace.pipeline/1)',
  },
  { name: 'not an object', spec: [1, 2], schema: true, message: 'the spec: [1,2] is not an object' },
  { name: 'null', spec: null, schema: true, message: 'the spec: null is not an object' },
  { name: 'an unknown privacy action', spec: withPrivacy({ column: 'Name', action: 'keep' }), schema: true, message: 'check.privacy[0].action: "keep" is not one of drop, mask, hash, allow' },
  { name: 'allow without a note', spec: withPrivacy({ column: 'Name', action: 'allow' }), schema: false, message: 'check.privacy[0].note: is missing (say why the column may be used)' },
  { name: 'allow with an empty note', spec: withPrivacy({ column: 'Name', action: 'allow', note: '' }), schema: true, message: 'check.privacy[0].note: is empty' },
  { name: 'mask without keep', spec: withPrivacy({ column: 'Owner', action: 'mask' }), schema: false, message: 'check.privacy[0].keep: is missing (a mask keeps this many characters)' },
  { name: 'a note on a drop', spec: withPrivacy({ column: 'Phone', action: 'drop', note: 'why' }), schema: false, message: 'check.privacy[0].note: only applies to "allow", not "drop"' },
  { name: 'keep on a hash', spec: withPrivacy({ column: 'Email', action: 'hash', keep: 2 }), schema: false, message: 'check.privacy[0].keep: only applies to "mask", not "hash"' },
  {
    name: 'two decisions on one column',
    spec: withPrivacy({ column: 'Email', action: 'hash' }, { column: 'Email', action: 'drop' }),
    schema: false,
    message: 'check.privacy[1].column: "Email" has a decision already',
  },
  { name: 'a time split without its column', spec: withSplit({ kind: 'time' }), schema: false, message: 'split.timeColumn: is missing (a time split needs the column it orders by)' },
  { name: 'a time column on a random split', spec: withSplit({ kind: 'random', timeColumn: 'Year' }), schema: false, message: 'split.timeColumn: only applies to split.kind "time", not "random"' },
  { name: 'a time column on the automatic split', spec: withSplit({ timeColumn: 'Year' }), schema: false, message: 'split.timeColumn: only applies to split.kind "time", not "auto"' },
  { name: 'the target as the time column', spec: withSplit({ kind: 'time', timeColumn: 'Miles_per_Gallon' }), schema: false, message: 'split.timeColumn: "Miles_per_Gallon" is the target' },
  { name: 'a random search without trials or minutes', spec: withModel({ search: { strategy: 'random', space: { l2: [0] } } }), schema: false, message: 'model.search: a random search needs trials or minutes' },
  { name: 'a search of 0 trials', spec: withModel({ search: { trials: 0 } }), schema: true, message: 'model.search.trials: 0 is below 1' },
  { name: 'a search of 0 minutes', spec: withModel({ search: { minutes: 0 } }), schema: true, message: 'model.search.minutes: 0 is not above 0' },
  { name: 'a bad value in a search space', spec: withSpace({ dropout: [0, 1.5] }), schema: true, message: 'model.search.space.dropout[1]: 1.5 is not below 1' },
  { name: '"auto" in a search space', spec: withSpace({ kind: ['linear', 'auto'] }), schema: true, message: 'model.search.space.kind[1]: "auto" is not one of linear, mlp, gbdt' },
  { name: 'an empty list in a search space', spec: withSpace({ l2: [] }), schema: true, message: 'model.search.space.l2: needs at least 1 value' },
  { name: 'a bad layer list in a search space', spec: withSpace({ hidden: [[16], []] }), schema: true, message: 'model.search.space.hidden[1]: needs at least 1 value' },
  {
    name: 'an unknown key in a search space (the old name of kind)',
    spec: withSpace({ model: ['linear'] }),
    schema: true,
    message: 'model.search.space.model: unknown field; the fields are kind, epochs, earlyStopping, learningRate, hidden, activation, dropout, l2, classWeights, batchSize, rounds, leaves, treeLearningRate, minLeafRows, maxDepth',
  },
  {
    name: 'a bad recipe step',
    spec: withCheck({ recipe: { steps: [{ kind: 'impute', columns: ['Acceleration'], method: 'avg' }] } }),
    schema: false,
    message: 'check.recipe.steps: Step 1 (impute): method must be one of mean, median, mode, constant, not "avg"',
  },
  { name: 'a recipe without steps', spec: withCheck({ recipe: { version: 1 } }), schema: true, message: 'check.recipe.steps: is missing' },
  {
    name: 'a bad rule',
    spec: withCheck({ rules: { rules: [{ id: 'mpg', kind: 'not-null', column: 'Miles_per_Gallon', severity: 'fatal' }] } }),
    schema: false,
    message: 'check.rules.rules: Rule mpg: severity must be "warn" or "block", not "fatal"',
  },
  {
    name: 'a bad feature set',
    spec: { ...minimal(), features: { name: 'f', version: 1, features: [{ name: 'hp', column: 'Horsepower', transform: 'sqrt' }] } },
    schema: false,
    message: 'features: Feature "hp": unknown transform "sqrt"; the transforms are standardize, minmax, log1p, clip, bucketize, onehot, ordinal, dateparts, hash, ratio, difference',
  },
  {
    name: 'a feature set of a negative version',
    spec: { ...minimal(), features: { name: 'f', version: -1, features: [{ name: 'hp', column: 'Horsepower', transform: 'standardize' }] } },
    schema: false,
    message: 'features: the feature set needs a whole "version" of at least 0',
  },
  { name: 'a feature set without a name', spec: { ...minimal(), features: { version: 1, features: [] } }, schema: false, message: 'features: the feature set needs a "name"' },
  { name: 'a review policy with an unknown field', spec: { ...minimal(), review: { sample: 10 } }, schema: true, message: 'review.sample: unknown field; the fields are metrics, fairness, maxEce, maxBytes, maxMsPer1000Rows, minGroupRows, sensitive, positiveClass, threshold' },
  { name: 'a monitor policy that is not an object', spec: { ...minimal(), monitor: true }, schema: true, message: 'monitor: true is not an object or null' },
  { name: 'a monitor trigger that does not exist', spec: { ...minimal(), monitor: { triggers: { sample: 1 } } }, schema: true, message: 'monitor.triggers.sample: unknown field; the fields are datasetDrift, decay, keyColumns, newRows, scheduleHours' },
  { name: 'a volume trigger of 0 rows', spec: { ...minimal(), monitor: { triggers: { newRows: 0 } } }, schema: true, message: 'monitor.triggers.newRows: 0 is below 1' },
  { name: 'retraining on unknown data', spec: { ...minimal(), monitor: { retrain: { data: { kind: 'all' } } } }, schema: true, message: 'monitor.retrain.data.kind: "all" is not one of newest, window' },
  { name: 'a dataset-drift share above 1', spec: { ...minimal(), monitor: { drift: { shareThreshold: 2 } } }, schema: true, message: 'monitor.drift.shareThreshold: 2 is above 1' },
];

/** The message of the error `parseSpec(value)` throws; fails when it throws nothing or something other than an AppError. */
export function refusal(value: unknown): { code: string; message: string } {
  try {
    parseSpec(value);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected the spec to be refused: ${JSON.stringify(value)}`);
}

/** `value` with the keys of every object in reverse order (arrays keep their order). */
export function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
  return value;
}
