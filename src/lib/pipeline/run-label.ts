// A training run's short name for people ("mlp · 3f2a", "mlp trial 2 · 3f2a", "trees · 3f2a"): lists, messages and the audit view use it instead of the id.

/** A search trial's number when the id is "<search id>/trial-N", else null. */
export function trialOf(id: string): number | null {
  const trial = id.match(/\/trial-(\d+)$/);
  return trial ? Number(trial[1]) : null;
}

/** A short name for a run: its model kind, its trial number in a search, and the start of its id (which tells runs apart). */
export function runLabel(run: { id: string; params: { kind: string } }): string {
  const trial = trialOf(run.id);
  const kind = run.params.kind === 'gbdt' ? 'trees' : run.params.kind;
  return `${kind}${trial === null ? '' : ` trial ${trial}`} · ${run.id.slice(0, 4)}`;
}
