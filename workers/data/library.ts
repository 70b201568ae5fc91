// The data worker's side of what the views list and read: live summaries pushed to the page through a Comlink
// callback, one run by id, the audit log in pages, its verification with progress and its export, feature-set saves, review decisions.
import { releaseProxy } from 'comlink';
import { AppError, toErrorInfo } from '../../src/lib/pipeline/errors.ts';
import type { FeatureSet } from '../../src/lib/pipeline/features/types.ts';
import { listAliasMoves } from '../../src/lib/store/aliases.ts';
import { auditPage, exportAudit, verifyAudit } from '../../src/lib/store/audit.ts';
import { listFeatureSets, saveFeatureSet } from '../../src/lib/store/feature-sets.ts';
import { live } from '../../src/lib/store/live.ts';
import { auditHead, getRunDetail, listModelSummaries, listRunSummaries, listVersionSummaries } from '../../src/lib/store/summaries.ts';
import { getReview } from '../../src/lib/store/runs.ts';
import { decideReview } from '../../src/lib/store/reviews.ts';
import type { AuditVerifyProgress, LiveTopic, LiveTopics, LiveUpdate } from '../protocol.ts';

const TOPICS: { [K in LiveTopic]: () => Promise<LiveTopics[K]> } = {
  versions: listVersionSummaries,
  runs: listRunSummaries,
  models: listModelSummaries,
  audit: auditHead,
  featureSets: listFeatureSets,
  aliasMoves: listAliasMoves,
};

/** Open watches: id → how to end it (unsubscribe the live query, release the page's callback). */
const watches = new Map<number, () => void>();
let nextWatch = 1;

function stop(watchId: number): void {
  const end = watches.get(watchId);
  watches.delete(watchId);
  end?.();
}

/** The audit page size the worker accepts at most. */
const MAX_AUDIT_PAGE = 1000;

export const libraryApi = {
  async watch<K extends LiveTopic>(topic: K, onUpdate: (update: LiveUpdate<LiveTopics[K]>) => void): Promise<number> {
    const query = Object.hasOwn(TOPICS, topic) ? (TOPICS[topic] as () => Promise<LiveTopics[K]>) : undefined;
    if (!query) throw new AppError('bad-argument', `Nothing to watch called "${String(topic)}"; one of: ${Object.keys(TOPICS).join(', ')}`);
    const id = nextWatch++;
    // A page that went away must not keep the query alive: a failed push ends the watch.
    const send = (update: LiveUpdate<LiveTopics[K]>) => {
      if (watches.has(id)) void Promise.resolve(onUpdate(update)).catch(() => stop(id));
    };
    // In a worker the callback is a Comlink proxy holding a port open; in Node it is the function itself.
    const release = () => (onUpdate as { [releaseProxy]?: () => void })[releaseProxy]?.();
    // Registered before subscribing, so a first value sent at once is not dropped.
    watches.set(id, release);
    const subscription = live(query).subscribe({
      next: (value) => send({ value }),
      error: (error: unknown) => send({ error: toErrorInfo(error) }),
    });
    if (watches.has(id)) {
      watches.set(id, () => {
        subscription.unsubscribe();
        release();
      });
    } else subscription.unsubscribe();
    return id;
  },

  unwatch(watchId: number): void {
    stop(watchId);
  },

  async getRun(runId: string) {
    return getRunDetail(runId);
  },

  async getReview(runId: string) {
    return getReview(runId);
  },

  async decideReview(runId: string, decision: 'approve' | 'reject', note: string) {
    return decideReview(runId, decision, note);
  },

  async auditPage(limit: number, before?: number) {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new AppError('bad-argument', `An audit page holds 1 to ${MAX_AUDIT_PAGE} entries; got ${limit}`);
    }
    return auditPage(limit, before);
  },

  async verifyAudit(onProgress?: (p: AuditVerifyProgress) => void) {
    // Fire and forget: a page that stopped listening must not fail the verification.
    return verifyAudit((checked, total) => void Promise.resolve(onProgress?.({ checked, total })).catch(() => undefined));
  },

  async exportAudit() {
    return new Blob([await exportAudit()], { type: 'application/x-ndjson' });
  },

  async saveFeatureSet(name: string, set: FeatureSet) {
    return saveFeatureSet(name, set);
  },
};
