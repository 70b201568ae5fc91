// The Models view's shape of the registry: model names with their versions (newest first), aliases (champion first) and alias history.
import { CHALLENGER, CHAMPION, holders } from '../pipeline/registry/aliases.ts';
import type { AliasMoveSummary, ModelSummary } from '../contracts/store.ts';

/** An alias of a model name as the view shows it: where it points and where a rollback would take it. */
export interface AliasRow {
  alias: string;
  version: number;
  /** The version a rollback moves it back to (null: none; the button says why). */
  previous: number | null;
}

/** One model name: what it predicts, its versions, aliases and every alias move. */
export interface ModelGroup {
  name: string;
  /** The newest version's target and task. */
  target: string;
  task: string;
  /** Newest first. */
  versions: ModelSummary[];
  aliases: AliasRow[];
  /** Newest first. */
  history: AliasMoveSummary[];
}

/** champion, then challenger, then the person's own aliases in alphabetical order. */
export function aliasOrder(a: string, b: string): number {
  const rank = (alias: string) => (alias === CHAMPION ? 0 : alias === CHALLENGER ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Groups model versions by name (the name with the newest version first) with their aliases and history. */
export function groupModels(models: readonly ModelSummary[], moves: readonly AliasMoveSummary[]): ModelGroup[] {
  const byName = new Map<string, ModelSummary[]>();
  for (const model of models) byName.set(model.name, [...(byName.get(model.name) ?? []), model]);
  const groups: ModelGroup[] = [];
  for (const [name, list] of byName) {
    const versions = [...list].sort((a, b) => b.version - a.version);
    const history = moves.filter((move) => move.name === name);
    const pointing = new Map<string, number>();
    for (const model of versions) for (const alias of model.aliases) pointing.set(alias, model.version);
    // An alias whose version was deleted cannot exist (deletion is refused), but the history may name more aliases.
    const aliases = [...pointing.entries()]
      .map(([alias, version]): AliasRow => {
        const stack = holders(history, alias);
        const previous = stack.length >= 2 && stack[stack.length - 1] === version ? stack[stack.length - 2]! : null;
        return { alias, version, previous };
      })
      .sort((a, b) => aliasOrder(a.alias, b.alias));
    const newest = versions[0]!;
    groups.push({ name, target: newest.target, task: newest.task, versions, aliases, history: [...history].reverse() });
  }
  const newestAt = (group: ModelGroup) => group.versions[0]!.createdAt;
  return groups.sort((a, b) => newestAt(b).localeCompare(newestAt(a)) || a.name.localeCompare(b.name));
}
