// What a retrain decides once its candidate is reviewed (champion, challenger waiting for approval, set aside, cancelled), the data it trains on, and the words for each outcome.
import { AppError } from '../errors.ts';
import type { ResolvedMonitorPolicy } from './policy.ts';

/** promoted: the candidate replaced the champion; challenger: it waits for approval; rejected: its review failed; cancelled: stopped; failed: it could not train (the gate was closed, the pipeline was busy). */
export type RetrainDecision = 'promoted' | 'challenger' | 'rejected' | 'cancelled' | 'failed';

/** The decision for a candidate: only a passed review makes it the challenger, and only the policy's autoPromote the champion. */
export function decideCandidate(candidate: { cancelled: boolean; passed: boolean | null }, policy: ResolvedMonitorPolicy): RetrainDecision {
  if (candidate.cancelled) return 'cancelled';
  if (candidate.passed !== true) return 'rejected';
  return policy.retrain.autoPromote ? 'promoted' : 'challenger';
}

/** A dataset version as the retrain sees it. */
export interface VersionFacts {
  id: number;
  version: number;
  rows: number;
  rowsAdded: number;
  parentVersionId?: number | undefined;
}

/**
 * The version a retrain trains on. "newest": the dataset's newest version (an appended version holds the training data
 * and every batch since). "window" of N: the newest version too, when it is a chain of appends whose last N batches
 * reach back past the champion's version (the window then holds all the newest rows); a window narrower than the
 * dataset is refused, naming the versions, since a run trains on one stored version.
 */
export function retrainVersion(policy: ResolvedMonitorPolicy, versions: readonly VersionFacts[], dataset: string): VersionFacts {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  const newest = ordered[ordered.length - 1];
  if (!newest) throw new AppError('not-found', `Dataset "${dataset}" has no version to retrain on`);
  if (policy.retrain.data.kind === 'newest') return newest;
  const n = policy.retrain.data.versions;
  // Walk the append chain back from the newest version: the window is its last n batches.
  const byId = new Map(ordered.map((v) => [v.id, v]));
  let covered = 0;
  let at: VersionFacts | undefined = newest;
  while (at && covered < n) {
    covered += 1;
    if (at.parentVersionId === undefined) return newest; // the chain starts here: the window holds the whole version
    at = byId.get(at.parentVersionId);
  }
  throw new AppError(
    'bad-argument',
    `The policy's window of the last ${n} versions of "${dataset}" is narrower than v${newest.version}, which also holds older batches; a retrain trains on one stored version. Import the last ${n} batches as one file, or use retrain.data.kind "newest"`,
  );
}

/** The metric an outcome quotes: the policy's first, else accuracy or R², the candidate's value with the champion's on the same rows. */
export function outcomeMetric(
  candidate: Record<string, number | undefined>,
  champion: Record<string, number> | null | undefined,
  preferred?: string,
): { name: string; candidate: number; champion: number | null } | null {
  const name = [preferred, 'accuracy', 'r2'].find((key): key is string => key !== undefined && candidate[key] !== undefined);
  return name ? { name, candidate: candidate[name] as number, champion: champion?.[name] ?? null } : null;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(3));

/** The outcome in one sentence. */
export function outcomeSummary(o: {
  modelName: string;
  fromVersion: number;
  decision: RetrainDecision;
  candidateVersion: number | null;
  failures: string[];
  metric: { name: string; candidate: number; champion: number | null } | null;
  /** decision 'failed': why. */
  error?: string;
}): string {
  const metric = o.metric ? ` (${o.metric.name} ${fmt(o.metric.candidate)}${o.metric.champion === null ? '' : ` against v${o.fromVersion}'s ${fmt(o.metric.champion)}`} on the new test rows)` : '';
  switch (o.decision) {
    case 'failed':
      return `The retrain of ${o.modelName} could not run: ${o.error ?? 'unknown error'}; v${o.fromVersion} stays`;
    case 'cancelled':
      return `The retrain of ${o.modelName} was cancelled; nothing was registered`;
    case 'rejected':
      return `The candidate failed its review${o.failures.length ? ` (${o.failures.join('; ')})` : ''}${metric}; it was not registered and v${o.fromVersion} stays`;
    case 'promoted':
      return `${o.modelName} v${o.candidateVersion} passed its review${metric} and replaced v${o.fromVersion} as champion, as the policy allows`;
    case 'challenger':
      return `${o.modelName} v${o.candidateVersion} passed its review${metric} and is the challenger; it waits for approval to replace v${o.fromVersion}`;
  }
}
