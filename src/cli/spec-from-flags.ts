// Builds the pipeline spec that `millrace run` flags describe (the same spec the studio stores); errors name the flag.
import { basename } from 'node:path';
import { AppError } from '../lib/pipeline/errors.ts';
import type { PrivacyDecision } from '../lib/pipeline/privacy/types.ts';
import type { ReviewPolicy, SensitiveColumn } from '../lib/pipeline/review/policy.ts';
import { fitRecipe } from '../lib/pipeline/recipe/fit.ts';
import { validateRecipe } from '../lib/pipeline/recipe/validate.ts';
import { makeSpec, type SpecDraft } from '../lib/pipeline/spec/build.ts';
import { defaultSearchSpace, HYPER_PARAMS, type HyperParam } from '../lib/pipeline/spec/hyperparams.ts';
import { parseSuite } from '../lib/pipeline/quality/validate.ts';
import type { PipelineSpec, SpecCheck } from '../lib/pipeline/spec/types.ts';
import type { DataTable } from '../lib/pipeline/types.ts';
import { paramFlag, type CheckFlags, type PipelineFlags } from './args.ts';
import { readJson } from './read-data.ts';

/** Spec paths and the flags that set them, longest first. */
const FLAG_OF: [string, string][] = [
  ['review.sensitive', '--sensitive'],
  ['review.positiveClass', '--positive-class'],
  ['review', '--policy'],
  ['model.search.space', '--search-space'],
  ['model.search.minutes', '--search-minutes'],
  ['model.search.trials', '--search'],
  ['model.search.strategy', '--search-grid'],
  ['model.search', '--search'],
  ...(HYPER_PARAMS as readonly HyperParam[]).map((p): [string, string] => [`model.${p.key}`, `--${paramFlag(p)}`]),
  ['split.timeColumn', '--time-column'],
  ['split.folds', '--folds'],
  ['split.seed', '--seed'],
  ['split.kind', '--split'],
  ['check.recipe', '--recipe'],
  ['check.rules', '--rules'],
  ['check.privacy', '--allow'],
  ['features', '--feature-set'],
  ['target', '--target'],
  ['task', '--task'],
];

/** An error about a spec path, said about the flag that set it ("--dropout: 1.5 is not below 1"). */
export function inFlagWords(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  for (const [path, flag] of FLAG_OF) {
    if (error.message.startsWith(`${path}: `) || error.message.startsWith(`${path}.`) || error.message.startsWith(`${path}[`)) {
      const rest = error.message.slice(path.length).replace(/^[.]/, ' ');
      const message = path === 'split.timeColumn' && /is missing/.test(rest) ? '--split time needs --time-column COLUMN' : `${flag}${rest}`;
      return new AppError(error.code, message, error.place, { cause: error });
    }
  }
  return error;
}

const bad = (message: string) => new AppError('bad-argument', message);

/** A number flag's text as a number (the spec's checks then say what range it must be in). */
function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw bad(`${flag}: "${text}" is not a number`);
  return value;
}

/** A hyper-parameter flag's text as the value the spec holds. */
function paramValue(param: HyperParam, text: string): unknown {
  const flag = `--${paramFlag(param)}`;
  if (param.kind === 'switch') return text === 'true';
  if (param.kind === 'layers') return text.split(/[,-]/).map((size) => numberFlag(flag, size));
  if (param.kind === 'number' || param.kind === 'integer') return numberFlag(flag, text);
  return text;
}

/** --allow COLUMN=NOTE: a decision that a flagged column may be trained on, with the reason. */
function allowances(allow: string[] = []): PrivacyDecision[] {
  return allow.map((entry) => {
    const at = entry.indexOf('=');
    const column = at < 0 ? entry : entry.slice(0, at);
    const note = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!column || !note) throw bad(`--allow takes COLUMN=NOTE (why the column may be used); got "${entry}"`);
    return { column, action: 'allow', note };
  });
}

/** Runs a check of a file's content; its error then names the flag and the file. */
function inFile<T>(flag: string, path: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, `${flag} ${path}: ${error.message}`, { ...error.place, file: path }, { cause: error });
    throw error;
  }
}

/** A JSON file holding either a list or an object with that list under `key`. */
function asList(json: unknown, key: string): unknown {
  return json && typeof json === 'object' && !Array.isArray(json) && key in json ? (json as Record<string, unknown>)[key] : json;
}

/**
 * The Check stage of the flags: --rules (a suite, or a bare list: version 1 named after the file), --recipe
 * (its clip bounds and imputed values fitted on `table` where the file does not state them) and --allow.
 */
export async function checkFromFlags(flags: CheckFlags, table: DataTable): Promise<SpecCheck> {
  let recipe: SpecCheck['recipe'] = null;
  if (flags.recipe) {
    const json = await readJson('--recipe', flags.recipe);
    const steps = fitRecipe(table, validateRecipe(asList(json, 'steps'), table.columns.map((c) => c.name)));
    const version = json && typeof json === 'object' && 'recipeVersion' in json ? Number((json as { recipeVersion: unknown }).recipeVersion) || 1 : 1;
    recipe = { version, steps };
  }
  let rules: SpecCheck['rules'] = null;
  if (flags.rules) {
    const json = await readJson('--rules', flags.rules);
    const suite = (Array.isArray(json) ? { rules: json } : (json ?? {})) as Record<string, unknown>;
    // Checked here (the studio's suite format), as `millrace check` builds no spec; the columns rules name are
    // checked against the recipe's output once it has run (checkTable).
    const parsed = inFile('--rules', flags.rules, () =>
      parseSuite({
        name: typeof suite.name === 'string' && suite.name ? suite.name : basename(flags.rules!),
        version: suite.version ?? 1,
        rules: suite.rules,
        ...(suite.reference !== undefined ? { reference: suite.reference } : {}),
      }),
    );
    rules = { name: parsed.name, version: parsed.version, rules: parsed.rules, reference: parsed.reference ?? null };
  }
  return { recipe, rules, privacy: allowances(flags.allow) };
}

/** --sensitive COL or COL:CUT,CUT as a sensitive column of the review. */
function sensitiveColumn(entry: string): SensitiveColumn {
  const at = entry.lastIndexOf(':');
  if (at < 0) return { column: entry };
  const cuts = entry.slice(at + 1).split(',').map((text) => numberFlag('--sensitive', text) as number);
  return { column: entry.slice(0, at), cuts };
}

/** The review policy of --policy, with --sensitive and --positive-class added; undefined when none was given. */
export async function reviewFromFlags(flags: PipelineFlags): Promise<ReviewPolicy | undefined> {
  if (!flags.policy && !flags.sensitive && flags.positiveClass === undefined) return undefined;
  const json = flags.policy ? await readJson('--policy', flags.policy) : {};
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad(`--policy ${flags.policy}: ${JSON.stringify(json)} is not an object`);
  const policy = { ...(json as ReviewPolicy) };
  if (flags.sensitive) policy.sensitive = [...(policy.sensitive ?? []), ...flags.sensitive.map(sensitiveColumn)];
  if (flags.positiveClass !== undefined) policy.positiveClass = flags.positiveClass;
  return policy;
}

/** The pipeline flags (all but the Check stage's) as a spec draft, read but not yet checked. */
async function pipelineDraft(flags: PipelineFlags): Promise<SpecDraft> {
  const model: Record<string, unknown> = {};
  for (const param of HYPER_PARAMS as readonly HyperParam[]) {
    const text = flags.params[param.key];
    if (text !== undefined) model[param.key] = paramValue(param, text);
  }
  const wantsSearch = flags.search !== undefined || flags.searchMinutes !== undefined || flags.searchGrid || flags.searchSpace !== undefined;
  if (wantsSearch) {
    let space: unknown;
    if (flags.searchSpace) {
      const json = await readJson('--search-space', flags.searchSpace);
      // Older space files name the models under `model`; the spec calls them `kind`.
      if (json && typeof json === 'object' && !Array.isArray(json) && 'model' in json) {
        const { model: kinds, ...rest } = json as Record<string, unknown>;
        if ('kind' in rest) throw bad(`--search-space ${flags.searchSpace}: "model" and "kind" both list models; keep "kind"`);
        space = { ...rest, kind: kinds };
      } else {
        space = json;
      }
    }
    model.search = {
      strategy: flags.searchGrid ? 'grid' : 'random',
      trials: numberFlag('--search', flags.search) ?? null,
      minutes: numberFlag('--search-minutes', flags.searchMinutes) ?? null,
      // Without a space file: the default space (linear/MLP, rates, layer shapes, L2, dropouts), as --help says.
      space: space ?? defaultSearchSpace(),
    };
  }
  const review = await reviewFromFlags(flags);
  return {
    target: flags.target ?? '',
    ...(review ? { review } : {}),
    ...(flags.task !== undefined ? { task: flags.task as PipelineSpec['task'] } : {}),
    features: flags.featureSet ? ((await readJson('--feature-set', flags.featureSet)) as never) : null,
    split: {
      ...(flags.split !== undefined ? { kind: flags.split as never } : {}),
      ...(flags.seed !== undefined ? { seed: numberFlag('--seed', flags.seed) as number } : {}),
      ...(flags.timeColumn !== undefined ? { timeColumn: flags.timeColumn } : {}),
      ...(flags.folds !== undefined ? { folds: numberFlag('--folds', flags.folds) as number } : {}),
    },
    model: model as Partial<PipelineSpec['model']>,
  };
}

/**
 * The pipeline flags read and checked as a spec without its Check stage and input, so that a bad flag is
 * named before the data is read; pass the result to {@link specFromFlags}. An error names the flag.
 */
export async function draftFromFlags(flags: PipelineFlags): Promise<SpecDraft> {
  try {
    const draft = await pipelineDraft(flags);
    makeSpec(draft);
    return draft;
  } catch (error) {
    throw inFlagWords(error);
  }
}

/**
 * The spec that the run flags describe, checked; an error names the flag. `flags` is the flags or the draft
 * {@link draftFromFlags} made of them; `table` is the data as read (recipes are fitted on it).
 */
export async function specFromFlags(flags: PipelineFlags | SpecDraft, checkFlags: CheckFlags, table: DataTable, input: Partial<PipelineSpec['input']>): Promise<PipelineSpec> {
  try {
    const draft = 'params' in flags ? await pipelineDraft(flags) : flags;
    return makeSpec({ ...draft, input, check: await checkFromFlags(checkFlags, table) });
  } catch (error) {
    throw inFlagWords(error);
  }
}
