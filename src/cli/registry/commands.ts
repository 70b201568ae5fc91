// `millrace models`, `promote`, `rollback` and `history` on the folder registry; the alias rules are the shared pure functions.
import { AppError } from '../../lib/pipeline/errors.ts';
import { planPromotion, planRollback, type AliasMove } from '../../lib/pipeline/registry/aliases.ts';
import type { RegistryCommand } from './args.ts';
import { FolderRegistry, verifiedFiles, type VersionInfo } from './store.ts';

type Of<N extends RegistryCommand['name']> = Extract<RegistryCommand, { name: N }>;

/** What a command prints: stdout text, notices for stderr. */
export interface Printed {
  stdout: string;
  notices: string[];
}

function registryOf(command: { registry: string }, notices: string[]): FolderRegistry {
  return new FolderRegistry(command.registry, { notice: (text) => notices.push(text) });
}

const holderText = (version: number | null) => (version === null ? 'none' : `v${version}`);

/** A model's versions and aliases as plain data (the --json form). */
async function describeModel(registry: FolderRegistry, name: string) {
  const versions = await registry.requireModel(name);
  const { aliases } = await registry.state(name);
  const infos = await Promise.all(versions.map((v) => registry.version(name, v)));
  return {
    name,
    aliases,
    versions: infos.map((info) => ({
      version: info.version,
      target: info.target,
      task: info.task,
      verdict: info.verdict,
      createdAt: info.createdAt,
      aliases: Object.keys(aliases).filter((alias) => aliases[alias] === info.version).sort(),
    })),
  };
}

/** `millrace models [NAME]`: every name with its versions and aliases, or one name's versions in detail. */
export async function modelsCommand(command: Of<'models'>): Promise<Printed> {
  const notices: string[] = [];
  const registry = registryOf(command, notices);
  const names = command.model ? [command.model] : await registry.names();
  const models = await Promise.all(names.map((name) => describeModel(registry, name)));
  if (command.json) return { stdout: JSON.stringify({ registry: command.registry, models }, null, 2), notices };
  if (!models.length) return { stdout: `millrace: the registry ${command.registry} has no models yet (millrace run … --register NAME)`, notices };
  const lines: string[] = [];
  for (const model of models) {
    const aliasText = Object.entries(model.aliases).map(([alias, v]) => `${alias} → v${v}`).join(', ') || 'no aliases';
    const last = model.versions[model.versions.length - 1]!;
    lines.push(`${model.name}: ${model.versions.length} version${model.versions.length === 1 ? '' : 's'} (latest v${last.version}, ${last.target}, ${last.task}); ${aliasText}`);
    if (!command.model) continue;
    for (const v of model.versions) {
      const verdict = v.verdict === null ? 'no review' : v.verdict.passed ? 'review passed' : `review failed (${v.verdict.failures.length})`;
      lines.push(`  v${v.version}  ${v.target} (${v.task})  ${verdict}  ${v.createdAt}${v.aliases.length ? `  [${v.aliases.join(', ')}]` : ''}`);
    }
  }
  return { stdout: lines.join('\n'), notices };
}

function moveLine(move: AliasMove): string {
  const verdict = move.verdict === null ? 'no review' : move.verdict.passed ? 'review passed' : 'review failed';
  const override = move.override ? ', override' : '';
  return `${move.at}  ${move.alias}  ${move.kind}  ${holderText(move.from)} → v${move.to}  (${verdict}${override})  ${JSON.stringify(move.note)}`;
}

async function holderNow(registry: FolderRegistry, name: string, alias: string): Promise<number | null> {
  return (await registry.state(name)).aliases[alias] ?? null;
}

/** Two changes at once cannot both win: the one that finds the alias moved since it looked is refused. */
function movedMeanwhile(name: string, alias: string, current: number | null, seen: number | null, flag: string | null): AppError {
  const why = flag
    ? `not ${holderText(seen)} as ${flag} said`
    : `it pointed at ${holderText(seen)} when this command started: another promotion or rollback moved it while this one waited for the lock`;
  return new AppError('locked', `${alias} of ${name} now points at ${holderText(current)}, ${why}; nothing was changed (see millrace history ${name}, then run again if still wanted)`);
}

/**
 * `millrace promote NAME VERSION`: the holder is read inside the lock, planPromotion decides; a failed verdict
 * without --force is AppError 'gate-blocked' (exit status 3).
 */
export async function promoteCommand(command: Of<'promote'>): Promise<Printed> {
  const notices: string[] = [];
  const registry = registryOf(command, notices);
  const { model: name, alias, version } = command;
  const candidate = await registry.version(name, version);
  // Its verdict is read from review.json: a version folder changed since it was saved is refused, naming the file.
  await verifiedFiles(candidate.dir, `${name} v${version}`);
  // The holder this promotion replaces: --expect's, else the one seen before waiting for the lock.
  const seen = command.expect !== undefined ? command.expect : await holderNow(registry, name, alias);
  const { move, repaired } = await registry.moveAlias(name, alias, `promote ${name} v${version} to ${alias}`, async (state) => {
    const current = state.aliases[alias] ?? null;
    if (current !== seen) throw movedMeanwhile(name, alias, current, seen, command.expect !== undefined ? '--expect' : null);
    try {
      return planPromotion({
        name,
        alias,
        note: command.note,
        override: command.force,
        candidate,
        current: current === null ? null : await registry.version(name, current),
      });
    } catch (error) {
      // The shared rule says "override with a note"; on the command line that is --force with --note.
      if (error instanceof AppError && error.code === 'gate-blocked') throw new AppError('gate-blocked', `${error.message.replace(/\. Override with a note to promote it anyway$/, '')}. Nothing was changed; add --force (the note says why) to promote it anyway`, error.place, { cause: error });
      throw error;
    }
  });
  if (repaired) notices.push(repaired);
  const why = move.override ? ` (override: ${candidate.verdict ? 'its review verdict failed' : 'it has no review verdict'}; note recorded)` : '';
  return { stdout: `millrace: ${name} ${alias} → v${move.to} (was ${holderText(move.from)})${why}`, notices };
}

/** `millrace rollback NAME`: the alias goes back to the version it held before (planRollback walks the history). */
export async function rollbackCommand(command: Of<'rollback'>): Promise<Printed> {
  const notices: string[] = [];
  const registry = registryOf(command, notices);
  const { model: name, alias } = command;
  const versions = new Set(await registry.requireModel(name));
  const seen = await holderNow(registry, name, alias);
  const { move, repaired } = await registry.moveAlias(name, alias, `roll ${alias} of ${name} back`, async (state) => {
    const current = state.aliases[alias] ?? null;
    if (current !== seen) throw movedMeanwhile(name, alias, current, seen, null);
    const facts = new Map<number, VersionInfo>();
    for (const v of new Set(state.history.filter((m) => m.alias === alias).map((m) => m.to))) {
      if (versions.has(v)) facts.set(v, await registry.version(name, v));
    }
    return planRollback({
      name,
      alias,
      note: command.note,
      history: state.history,
      current,
      exists: (v) => versions.has(v),
      verdictOf: (v) => facts.get(v)?.verdict ?? null,
    });
  });
  if (repaired) notices.push(repaired);
  return { stdout: `millrace: ${name} ${alias} → v${move.to} (rolled back from ${holderText(move.from)})`, notices };
}

/** `millrace history NAME`: every alias move, oldest first. */
export async function historyCommand(command: Of<'history'>): Promise<Printed> {
  const notices: string[] = [];
  const registry = registryOf(command, notices);
  await registry.requireModel(command.model);
  const { history } = await registry.state(command.model);
  const moves = command.alias ? history.filter((m) => m.alias === command.alias) : history;
  if (command.json) return { stdout: JSON.stringify(moves, null, 2), notices };
  if (!moves.length) return { stdout: `millrace: ${command.model} has no alias moves yet${command.alias ? ` for ${command.alias}` : ''}`, notices };
  return { stdout: moves.map(moveLine).join('\n'), notices };
}
