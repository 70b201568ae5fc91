// Arguments of the registry commands (models, promote, rollback, history, score, import, export) and their help text.
import { AppError } from '../../lib/pipeline/errors.ts';
import { checkAlias, CHAMPION } from '../../lib/pipeline/registry/aliases.ts';
import { checkModelName, DEFAULT_REGISTRY } from './store.ts';

export const REGISTRY_USAGE = `  millrace models [NAME] [--json] [--registry DIR]
  millrace promote NAME VERSION --note TEXT [--alias A] [--force] [--expect VERSION|none] [--registry DIR]
  millrace rollback NAME --note TEXT [--alias champion] [--registry DIR]
  millrace history NAME [--alias A] [--json] [--registry DIR]
  millrace score --model NAME@ALIAS|NAME@VERSION|DIR --data FILE --out FILE [--rejects FILE] [--registry DIR]
  millrace import BUNDLE.zip [--name NAME] [--registry DIR]
  millrace export NAME@ALIAS|NAME@VERSION --out BUNDLE.zip [--registry DIR]`;

export const REGISTRY_HELP = `Registry (--registry DIR, default ./${DEFAULT_REGISTRY}: DIR/NAME/versions/N/ are bundle folders,
DIR/NAME/aliases.json and history.json are replaced atomically, every change holds DIR/NAME/.lock):
  run … --register NAME  saves the run's model/ bundle as the next version of NAME and prints its number
  models [NAME]      lists the names, versions (target, task, review verdict) and aliases; --json for JSON
  promote NAME VERSION points --alias (default champion; letters, digits, "_", "-") at VERSION. Needs
                     --note; a failed or missing review verdict is refused with exit status 3 unless --force
                     (recorded as an override). --expect V|none: only if the alias points at V
  rollback NAME      moves --alias back to the version it pointed at before, with --note
  history NAME       every alias move, oldest first (--alias: one alias; --json: the moves as JSON)
  score              the model's recipe, transforms and decision on --data, written to --out as CSV (the
                     input columns, predicted_TARGET, probability_CLASS); --rejects FILE: the rows the recipe
                     drops, with their row number and reason. A file missing columns the model or its
                     recipe reads is refused naming them all
  import BUNDLE.zip  checks every hash of the bundle's manifest, then saves it as the next version of its
                     model name (or --name NAME)
  export REF         writes the version's bundle folder as a zip to --out
Two promotions at once cannot both win: the second waits for the lock (5 s; $MILLRACE_LOCK_WAIT_MS) and is
refused if the alias moved since it started (or since --expect); a lock still held after the wait is refused
naming its pid; one left by a process that is not running is broken after 60 s, saying so.`;

export type RegistryCommand =
  | { name: 'models'; registry: string; model?: string; json: boolean }
  | { name: 'promote'; registry: string; model: string; version: number; alias: string; note: string; force: boolean; expect?: number | null }
  | { name: 'rollback'; registry: string; model: string; alias: string; note: string }
  | { name: 'history'; registry: string; model: string; alias?: string; json: boolean }
  | { name: 'score'; registry: string; model: string; data: string; out: string; rejects?: string; salt?: string }
  | { name: 'import'; registry: string; bundle: string; as?: string }
  | { name: 'export'; registry: string; model: string; out: string };

export const REGISTRY_COMMANDS = ['models', 'promote', 'rollback', 'history', 'score', 'import', 'export'] as const;

/** The flags the registry commands add to the parser. */
export const REGISTRY_OPTIONS = {
  registry: { type: 'string' },
  register: { type: 'string' },
  json: { type: 'boolean' },
  alias: { type: 'string' },
  note: { type: 'string' },
  force: { type: 'boolean' },
  expect: { type: 'string' },
  rejects: { type: 'string' },
  name: { type: 'string' },
} as const;

/** Which flags each command takes (besides --registry); any other is refused, naming it. */
const ALLOWED: Record<RegistryCommand['name'], string[]> = {
  models: ['json'],
  promote: ['alias', 'note', 'force', 'expect'],
  rollback: ['alias', 'note'],
  history: ['alias', 'json'],
  score: ['model', 'data', 'out', 'rejects', 'salt'],
  import: ['name'],
  export: ['out'],
};

const bad = (message: string) => new AppError('bad-argument', message);

function versionNumber(text: string, what: string): number {
  if (!/^v?[0-9]+$/.test(text) || Number(text.replace(/^v/, '')) < 1) throw bad(`${what} must be a version number (1, 2, … or v1, v2, …); got ${JSON.stringify(text)}`);
  return Number(text.replace(/^v/, ''));
}

/** Parses a registry command from the parsed flags and positionals (the command name first). */
export function parseRegistryCommand(name: RegistryCommand['name'], positionals: string[], values: Record<string, unknown>): RegistryCommand {
  const text = (flag: string) => values[flag] as string | undefined;
  const given = Object.keys(values).filter((flag) => values[flag] !== undefined && flag !== 'registry' && flag !== 'help');
  const extraFlag = given.find((flag) => !ALLOWED[name].includes(flag));
  if (extraFlag) throw bad(`${name} does not take --${extraFlag}; see millrace --help`);
  const need = (flag: string) => {
    const value = text(flag);
    if (!value) throw bad(`${name} needs --${flag}; see millrace --help`);
    return value;
  };
  const arg = (index: number, what: string) => {
    const value = positionals[index];
    if (value === undefined) throw bad(`${name} needs ${what}; see millrace --help`);
    return value;
  };
  const most = { models: 1, promote: 2, rollback: 1, history: 1, score: 0, import: 1, export: 1 }[name];
  if (positionals.length > most) throw bad(`Unexpected argument "${positionals[most]}" for ${name}; see millrace --help`);
  const registry = text('registry') ?? DEFAULT_REGISTRY;
  const alias = () => checkAlias(text('alias') ?? CHAMPION);
  switch (name) {
    case 'models':
      return { name, registry, json: values.json === true, ...(positionals[0] !== undefined ? { model: checkModelName(positionals[0]) } : {}) };
    case 'promote': {
      const model = checkModelName(arg(0, 'a model NAME'));
      const version = versionNumber(arg(1, 'a VERSION'), 'VERSION');
      const expected = text('expect');
      return {
        name, registry, model, version, alias: alias(), note: need('note'), force: values.force === true,
        ...(expected !== undefined ? { expect: expected === 'none' ? null : versionNumber(expected, '--expect') } : {}),
      };
    }
    case 'rollback':
      return { name, registry, model: checkModelName(arg(0, 'a model NAME')), alias: alias(), note: need('note') };
    case 'history':
      return { name, registry, model: checkModelName(arg(0, 'a model NAME')), json: values.json === true, ...(text('alias') !== undefined ? { alias: alias() } : {}) };
    case 'score':
      return {
        name, registry, model: need('model'), data: need('data'), out: need('out'),
        ...(text('rejects') !== undefined ? { rejects: need('rejects') } : {}),
        ...(text('salt') !== undefined ? { salt: text('salt') } : {}),
      };
    case 'import':
      return { name, registry, bundle: arg(0, 'a BUNDLE.zip'), ...(text('name') !== undefined ? { as: checkModelName(text('name')!) } : {}) };
    case 'export':
      return { name, registry, model: arg(0, 'NAME@ALIAS or NAME@VERSION'), out: need('out') };
  }
}
