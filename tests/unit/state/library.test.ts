// The lists the views read come from the data worker's pushes (summaries only), the Audit view pages through the log
// and verifies it with progress; in Node with the runes compiled and the worker replaced by mocks behind DataClient.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditHead, AuditPage, AuditVerifyOutcome, AuditVerifyProgress, LiveUpdate, VersionSummary } from '../../../src/lib/contracts/store.ts';
import type { AuditEntry, DatasetProfile } from '../../../src/lib/pipeline/types.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { deferred, resetApi, settle, type FakeApi } from './fakes.ts';

const api = vi.hoisted(() => ({}) as FakeApi);
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(api as never) };
});

const { LibraryState } = await import('../../../src/lib/state/library.svelte.ts');
const { AuditState } = await import('../../../src/lib/state/audit.svelte.ts');

/** The fake worker's watches: push to a topic as the data worker would after a commit. */
function watchesOnDemand() {
  const pushers: Record<string, (update: LiveUpdate<unknown>) => void> = {};
  let next = 1;
  api.watch = vi.fn(async (topic: string, onUpdate: (update: LiveUpdate<unknown>) => void) => {
    pushers[topic] = onUpdate;
    return next++;
  });
  api.unwatch = vi.fn(() => undefined);
  return pushers;
}

function version(id: number, datasetId: number, datasetName: string, number: number, createdAt: string): VersionSummary {
  return {
    id,
    datasetId,
    datasetName,
    version: number,
    fileName: `${datasetName}.csv`,
    sha256: 'a'.repeat(64),
    rows: 10 * id,
    rowsAdded: 10,
    schema: [{ name: 'x', type: 'number' }],
    chunkCount: 1,
    storedBytes: 100,
    createdAt,
  };
}

beforeEach(() => resetApi(api));

describe('library', () => {
  it('builds the version list, dataset groups and selection from pushed summaries, and stops listening on destroy', async () => {
    const push = watchesOnDemand();
    const library = new LibraryState();
    await settle();
    expect(Object.keys(push).sort()).toEqual(['aliasMoves', 'audit', 'models', 'runs', 'versions']);
    expect(library.loaded).toBe(false);

    push.versions!({
      value: [
        version(3, 1, 'penguins', 2, '2026-01-03T00:00:00.000Z'),
        version(2, 2, 'cars', 1, '2026-01-02T00:00:00.000Z'),
        version(1, 1, 'penguins', 1, '2026-01-01T00:00:00.000Z'),
      ],
    });
    push.audit!({ value: { count: 7, lastSeq: 7 } satisfies AuditHead });
    expect(library.loaded).toBe(true);
    expect(library.versions.map((v) => v.label)).toEqual(['penguins v2', 'cars v1', 'penguins v1']);
    expect(library.datasetGroups.map((g) => [g.name, g.versions.map((v) => v.record.version)])).toEqual([
      ['penguins', [2, 1]],
      ['cars', [1]],
    ]);
    expect(library.selected?.label).toBe('penguins v2');
    library.select(2);
    expect(library.selected?.label).toBe('cars v1');
    expect(library.auditHead).toEqual({ count: 7, lastSeq: 7 });

    push.runs!({ error: { code: 'internal', message: 'Unexpected error: IndexedDB is closed', place: {} } });
    expect(library.error).toBe('Unexpected error: IndexedDB is closed');

    library.destroy();
    await settle();
    expect(api.unwatch).toHaveBeenCalledTimes(5);
    push.versions!({ value: [] });
    expect(library.versions).toHaveLength(3);
  });

  it('reads a profile from the worker once per version, and the view gets it when it arrives', async () => {
    watchesOnDemand();
    const answer = deferred<DatasetProfile>();
    api.profile = vi.fn(() => answer.promise);
    const library = new LibraryState();
    expect(library.profile(3)).toBeUndefined();
    expect(library.profile(3)).toBeUndefined();
    expect(api.profile).toHaveBeenCalledTimes(1);
    answer.resolve({ rows: 30, columns: [] });
    await settle();
    expect(library.profile(3)).toEqual({ rows: 30, columns: [] });
    expect(api.profile).toHaveBeenCalledTimes(1);
    library.destroy();
  });
});

describe('audit', () => {
  const entry = (seq: number): AuditEntry => ({ seq, at: '2026-01-01T00:00:00.000Z', action: 'import', subject: `v${seq}`, details: {}, prevHash: '0', hash: String(seq) });
  const page = (from: number, to: number, total: number): AuditPage => ({ entries: Array.from({ length: from - to + 1 }, (_, i) => entry(from - i)), total });

  it('reads the newest page, older pages on demand, and the newest again when the log grew', async () => {
    api.auditPage = vi.fn(async (limit: number, before?: number) => (before === undefined ? page(250, 251 - limit, 250) : page(before - 1, Math.max(1, before - limit), 250)));
    const audit = new AuditState();
    audit.show({ count: 250, lastSeq: 250 });
    await settle();
    expect(api.auditPage).toHaveBeenLastCalledWith(100, undefined);
    expect([audit.entries.length, audit.entries[0]?.seq, audit.total, audit.hasMore]).toEqual([100, 250, 250, true]);
    audit.more();
    await settle();
    expect(api.auditPage).toHaveBeenLastCalledWith(100, 151);
    expect([audit.entries.length, audit.entries.at(-1)?.seq]).toEqual([200, 51]);
    audit.show({ count: 250, lastSeq: 250 });
    expect(api.auditPage).toHaveBeenCalledTimes(2);

    // The log grew: the newest entries are read again, as many as are shown; a page of older ones on its way is dropped.
    const older = deferred<AuditPage>();
    api.auditPage = vi.fn((limit: number, before?: number) => (before === undefined ? Promise.resolve(page(251, 252 - limit, 251)) : older.promise));
    audit.more();
    audit.show({ count: 251, lastSeq: 251 });
    await settle();
    older.resolve(page(50, 1, 250));
    await settle();
    expect(api.auditPage).toHaveBeenCalledWith(200, undefined);
    expect([audit.entries.length, audit.entries[0]?.seq, audit.total, audit.loading]).toEqual([200, 251, 251, false]);
    audit.destroy();
  });

  it('verifies in the worker with progress, and shows a broken chain or a failure', async () => {
    const outcome = deferred<AuditVerifyOutcome>();
    let report: (p: AuditVerifyProgress) => void = () => undefined;
    api.verifyAudit = vi.fn((onProgress: (p: AuditVerifyProgress) => void) => {
      report = onProgress;
      return outcome.promise;
    });
    const audit = new AuditState();
    const verifying = audit.verify();
    expect(audit.verifying).toBe(true);
    report({ checked: 2000, total: 5000 });
    expect([audit.progress?.checked, audit.percent]).toEqual([2000, 40]);
    outcome.resolve({ ok: false, brokenAt: 3, reason: 'Entry 3 was changed after it was written' });
    await verifying;
    expect([audit.verifying, audit.progress, audit.outcome?.ok]).toEqual([false, null, false]);

    api.verifyAudit = vi.fn(async () => {
      throw new AppError('not-found', 'The audit log could not be read');
    });
    await audit.verify();
    expect([audit.outcome, audit.error]).toEqual([null, 'The audit log could not be read']);
    audit.destroy();
  });
});
