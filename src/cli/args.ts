// Command-line arguments of `millrace`: parsed with node:util; the hyper-parameter flags come from the registry, and the pipeline flags become a spec draft.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../lib/pipeline/errors.ts';
import { HYPER_PARAMS, rangeText, type HyperParam } from '../lib/pipeline/spec/hyperparams.ts';
import { parseRegistryCommand, REGISTRY_COMMANDS, REGISTRY_HELP, REGISTRY_OPTIONS, REGISTRY_USAGE, type RegistryCommand } from './registry/args.ts';
import { checkModelName, DEFAULT_REGISTRY } from './registry/store.ts';
import { DRIFT_HELP, DRIFT_OPTIONS, DRIFT_USAGE, parseDriftCommand, type DriftCommand } from './drift-args.ts';
import { MONITOR_HELP, MONITOR_OPTIONS, MONITOR_USAGE, parseMonitorCommand, type MonitorCommand } from './monitor-args.ts';

/** The flag of a hyper-parameter: a switch that is on by default is turned off with --no-NAME. */
export function paramFlag(param: HyperParam): string {
  return param.kind === 'switch' && param.default ? `no-${param.flag}` : param.flag;
}

/** Words wrapped to lines of at most `width` characters, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width - indent) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function paramHelp(param: HyperParam): string {
  const value = param.kind === 'switch' ? '' : param.kind === 'layers' ? ' SIZES' : param.kind === 'choice' ? ' NAME' : param.kind === 'integer' ? ' N' : ' X';
  const range = param.kind === 'number' || param.kind === 'integer' ? rangeText(param) : '';
  const shown = param.kind === 'switch' ? '' : param.default === null ? 'automatic' : Array.isArray(param.default) ? param.default.join(',') : String(param.default);
  const fallback = param.kind === 'switch' ? '' : ` (default ${shown}${range ? `; ${range}` : ''})`;
  const head = `  --${paramFlag(param)}${value}`;
  const text = `${param.kind === 'switch' && param.default ? 'turn off: ' : ''}${param.help}${fallback}`;
  return `${head.length < 21 ? head.padEnd(21) : `${head}\n${' '.repeat(21)}`}${wrap(text, 108, 21)}`;
}

export const HELP = `millrace — run the studio's pipeline on files from the command line

Usage:
  millrace run --data FILE --target COLUMN --out DIR [options]
  millrace run --spec pipeline.json --data FILE --out DIR [--backend NAME] [--reference FILE] [--salt TEXT]
  millrace run … --register NAME [--registry DIR]
  millrace check --data FILE [--rules FILE] [--recipe FILE] [--reference FILE] [--out FILE]
  millrace review --model DIR|NAME@ALIAS --data FILE [--out DIR] [--policy FILE] [--sensitive COL[:CUTS]]
                  [--positive-class L] [--champion DIR] [--registry DIR]
  millrace profile --data FILE
${DRIFT_USAGE}
${MONITOR_USAGE}
${REGISTRY_USAGE}
  millrace --help

run     the Check stage (recipe, rules, personal-data scan and gate), then features fitted on the
        training rows, a seeded 80/20 split (stratified for classes), training, and evaluation on the
        test rows next to a dummy baseline. Writes DIR/pipeline.json (the spec it ran: run it again with
        --spec for the same metrics), DIR/report.json and DIR/model/ (model.json, weights.bin (none for
        trees), transforms.json, metrics.json, model-card.md, recipe.json, pipeline.json). With --spec, the spec
        file says everything the options below would (a spec exported from the studio runs the same way).
        The random and stratified splits are scikit-learn's train_test_split(X, y, test_size=0.2,
        random_state=SEED[, stratify=y]) of the rows that have a target, in file order.
check   the Check stage alone: the cleaning recipe, then the rule suite (without --rules: rules suggested
        from the data, which only warn) with batch rules against --reference, and the personal-data scan.
        Prints one line (passed or blocked, and why); --out FILE writes the whole report as JSON.
review  scores a saved model (DIR: a run's OUT folder or its model/ folder; or NAME@ALIAS, NAME@VERSION in the
        registry) on FILE, which has the target, and checks it against the review policy (--policy, else the
        one in its pipeline.json, else: every headline metric better than a dummy fitted on FILE). Writes
        review.json and review.html to --out DIR, by default to DIR; never into a bundle folder with a
        manifest.json (model/, a registry version): that needs --out. Exit status 0 when it passes, 3 when
        it fails (one line per failing check on stderr), 1 for bad input.
profile prints the column profile of FILE as JSON on stdout.
${DRIFT_HELP}
${MONITOR_HELP}

Data: CSV, TSV, JSON, NDJSON, Parquet or Arrow (what the studio imports).

Check stage (check and run):
  --rules FILE       a rule suite JSON {name, version, rules} or a list of rules, as the studio saves them
  --recipe FILE      a cleaning recipe JSON {steps} or a list of steps (a model bundle's recipe.json too)
  --reference FILE   the earlier batch the batch-vs-reference rules compare with
  --allow COL=NOTE   a personal-data column that may be used, and why (repeatable); drop, mask and hash
                     steps of the recipe decide for their columns
  --salt TEXT        the salt of hash steps (default $MILLRACE_SALT)

Pipeline (run without --spec):
  --target COLUMN    the column to predict
  --task KIND        binary | multiclass | regression (inferred from the target by default)
  --feature-set FILE a JSON feature set {name, version, features} instead of the automatic features
  --seed N           seed of the split, the initial weights and the shuffling, 0 to 4294967295 (default 42)
  --split KIND       random | stratified | time (default stratified for classes, random for regression)
  --time-column C    with --split time: train on the past, test on the most recent 20% by column C
  --folds K          also cross-validate on K folds of the training split (2 to 50)
${(HYPER_PARAMS as readonly HyperParam[]).map(paramHelp).join('\n')}
  --search N         random search of N trials, ranked on a validation slice of the training split;
                     the best trial is then evaluated on the test split
  --search-grid      grid search instead of random (tries the whole grid, or the first N with --search)
  --search-minutes M starts no new trial after M minutes
  --search-space FILE JSON {kind: [..], learningRate: [..], hidden: [[..]], l2: [..], dropout: [..], …}: the
                     values of any hyper-parameter above (default: linear/MLP, 3 rates, 3 layer shapes, 3 L2, 3 dropouts)

Review (run without --spec; they fill the spec's review policy):
  --policy FILE      a review policy JSON {metrics, fairness, maxEce, maxBytes, maxMsPer1000Rows, …}
  --sensitive COL    a sensitive column to break the review down by (repeatable); a numeric column takes
                     cut points, e.g. --sensitive age:25,60 for "≤ 25", "25–60", "> 60"
  --positive-class L binary targets: the positive class (default: the last label in sorted order)

Run options:
  --backend NAME     auto | wasm | cpu (default auto = WASM, else CPU)
  --champion DIR     run and review (with --spec too): a saved model for the same target (a run's OUT folder or
                     its model/ folder), scored on the same test rows; the report compares with it (vsChampion,
                     champion) and the policy's minAbsoluteChange / minRelativeChange checks use it

${REGISTRY_HELP}

Exit status: 0 on success, 1 on bad input (one line on stderr says what and where), 2 when the Check
stage's gate is closed, 3 when a review fails (review; promote of a failed verdict without --force), 4 when
drift finds dataset drift.`;

/** The Check stage's inputs from flags, for `check` and `run`. */
export interface CheckFlags {
  rules?: string;
  recipe?: string;
  reference?: string;
  allow?: string[];
  salt?: string;
}

/** The flags that make a spec, as text (checked when the spec is built). */
export interface PipelineFlags {
  target?: string;
  task?: string;
  featureSet?: string;
  seed?: string;
  split?: string;
  timeColumn?: string;
  folds?: string;
  search?: string;
  searchGrid?: boolean;
  searchMinutes?: string;
  searchSpace?: string;
  /** A review policy JSON file. */
  policy?: string;
  /** --sensitive COL or COL:CUT,CUT (repeatable). */
  sensitive?: string[];
  positiveClass?: string;
  /** Hyper-parameter flags by the registry's key (a switch: 'false' when turned off). */
  params: Record<string, string>;
}

export type Command =
  | { name: 'help' }
  | { name: 'profile'; data: string }
  | ({ name: 'check'; data: string; out?: string } & CheckFlags)
  | { name: 'review'; model: string; data: string; policy?: string; sensitive?: string[]; positiveClass?: string; salt?: string; champion?: string; out?: string; registry: string }
  | ({
      name: 'run';
      data: string;
      out: string;
      /** A pipeline spec file; the pipeline flags are then refused. */
      spec?: string;
      pipeline: PipelineFlags;
      backend: 'auto' | 'wasm' | 'cpu';
      /** A saved model's folder to compare with on the same test rows. */
      champion?: string;
      /** --register NAME: save the model as the next version of NAME in the folder registry. */
      register?: string;
      registry: string;
    } & CheckFlags)
  | DriftCommand
  | MonitorCommand
  | RegistryCommand;

const bad = (message: string) => new AppError('bad-argument', message);

const PIPELINE_FLAGS = {
  target: 'target',
  task: 'task',
  'feature-set': 'featureSet',
  seed: 'seed',
  split: 'split',
  'time-column': 'timeColumn',
  folds: 'folds',
  search: 'search',
  'search-grid': 'searchGrid',
  'search-minutes': 'searchMinutes',
  'search-space': 'searchSpace',
  policy: 'policy',
  sensitive: 'sensitive',
  'positive-class': 'positiveClass',
} as const;

function options(): ParseArgsConfig['options'] {
  const out: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    data: { type: 'string' },
    out: { type: 'string' },
    spec: { type: 'string' },
    backend: { type: 'string' },
    rules: { type: 'string' },
    recipe: { type: 'string' },
    reference: { type: 'string' },
    allow: { type: 'string', multiple: true },
    salt: { type: 'string' },
    champion: { type: 'string' },
    ...DRIFT_OPTIONS,
    ...MONITOR_OPTIONS,
    ...REGISTRY_OPTIONS,
  };
  for (const flag of Object.keys(PIPELINE_FLAGS)) {
    out[flag] = flag === 'search-grid' ? { type: 'boolean' } : flag === 'sensitive' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  for (const param of HYPER_PARAMS as readonly HyperParam[]) out[paramFlag(param)] = { type: param.kind === 'switch' ? 'boolean' : 'string' };
  return out;
}

function required(flag: string, value: string | undefined, command: string): string {
  if (!value) throw bad(`${command} needs --${flag}; see millrace --help`);
  return value;
}

/** Parses argv (without node and the script) into a command; throws an AppError naming a bad flag. */
export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: options() });
  } catch (error) {
    throw bad(`${error instanceof Error ? error.message : String(error)}; see millrace --help`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const text = (flag: string) => values[flag] as string | undefined;
  const [name, ...extra] = parsed.positionals;
  if (values.help || name === undefined || name === 'help') return { name: 'help' };
  if ((REGISTRY_COMMANDS as readonly string[]).includes(name)) return parseRegistryCommand(name as RegistryCommand['name'], extra, values);
  if (name === 'drift') return parseDriftCommand(values, extra);
  if (name === 'monitor') return parseMonitorCommand(values, extra);
  const monitorFlag = (Object.keys(MONITOR_OPTIONS) as (keyof typeof MONITOR_OPTIONS)[]).find((flag) => values[flag] !== undefined);
  if (monitorFlag) throw bad(`${name} does not take --${monitorFlag}; see millrace --help`);
  const driftFlag = (Object.keys(DRIFT_OPTIONS) as (keyof typeof DRIFT_OPTIONS)[]).find((flag) => values[flag] !== undefined);
  if (driftFlag) throw bad(`${name} does not take --${driftFlag}; see millrace --help`);
  const registryFlag = (['json', 'alias', 'note', 'force', 'expect', 'rejects', 'name'] as const).find((flag) => values[flag] !== undefined);
  if (registryFlag) throw bad(`${name} does not take --${registryFlag}; see millrace --help`);
  if (name !== 'run' && values.register !== undefined) throw bad(`${name} does not take --register; see millrace --help`);
  if (name !== 'run' && name !== 'review' && values.registry !== undefined) throw bad(`${name} does not take --registry; see millrace --help`);
  if (extra.length) throw bad(`Unexpected argument "${extra[0]}"; see millrace --help`);
  if (name === 'profile') return { name, data: required('data', text('data'), 'profile') };
  const checkFlags: CheckFlags = {};
  for (const key of ['rules', 'recipe', 'reference', 'salt'] as const) if (text(key) !== undefined) checkFlags[key] = text(key);
  if (values.allow !== undefined) checkFlags.allow = values.allow as string[];
  if (name === 'check') return { name, data: required('data', text('data'), 'check'), ...(text('out') ? { out: text('out') } : {}), ...checkFlags };
  if (name === 'review') {
    return {
      name,
      // --model is the model kind for run, and the saved model's folder for review.
      model: required('model', text('model'), 'review'),
      data: required('data', text('data'), 'review'),
      ...(text('policy') !== undefined ? { policy: text('policy') } : {}),
      ...(values.sensitive !== undefined ? { sensitive: values.sensitive as string[] } : {}),
      ...(text('positive-class') !== undefined ? { positiveClass: text('positive-class') } : {}),
      ...(text('salt') !== undefined ? { salt: text('salt') } : {}),
      ...(text('champion') !== undefined ? { champion: text('champion') } : {}),
      ...(text('out') !== undefined ? { out: text('out') } : {}),
      registry: text('registry') ?? DEFAULT_REGISTRY,
    };
  }
  if (name !== 'run') throw bad(`Unknown command "${name}"; the commands are run, check, review, profile, drift, monitor, ${REGISTRY_COMMANDS.join(', ')}`);

  const pipeline: PipelineFlags = { params: {} };
  const given: string[] = [];
  for (const [flag, key] of Object.entries(PIPELINE_FLAGS)) {
    const value = values[flag];
    if (value === undefined) continue;
    given.push(`--${flag}`);
    (pipeline as unknown as Record<string, unknown>)[key] = value;
  }
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    const value = values[paramFlag(param)];
    if (value === undefined) continue;
    given.push(`--${paramFlag(param)}`);
    pipeline.params[param.key] = param.kind === 'switch' ? String(param.default ? !value : value) : (value as string);
  }
  const spec = text('spec');
  if (spec !== undefined) {
    const mixed = [...given, ...(['rules', 'recipe', 'allow'] as const).filter((k) => values[k] !== undefined).map((k) => `--${k}`)];
    if (mixed.length) throw bad(`${mixed[0]} cannot be combined with --spec: the spec says it; edit the spec file instead`);
  } else {
    required('target', pipeline.target, 'run');
  }
  const backend = text('backend') ?? 'auto';
  if (!['auto', 'wasm', 'cpu'].includes(backend)) throw bad(`--backend must be one of auto, wasm, cpu; got "${backend}"`);
  return {
    name,
    data: required('data', text('data'), 'run'),
    out: required('out', text('out'), 'run'),
    ...(spec !== undefined ? { spec } : {}),
    pipeline,
    backend: backend as 'auto' | 'wasm' | 'cpu',
    ...(text('champion') !== undefined ? { champion: text('champion') } : {}),
    ...(text('register') !== undefined ? { register: checkModelName(text('register')!) } : {}),
    registry: text('registry') ?? DEFAULT_REGISTRY,
    ...checkFlags,
  };
}
