// Live queries: a subscriber sees the current rows, then the rows after each committed write.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appendAudit } from '../../../src/lib/store/audit.ts';
import { saveImport } from '../../../src/lib/store/datasets.ts';
import { liveAudit, liveDatasets, liveVersions } from '../../../src/lib/store/live.ts';
import { resetDb, sampleImport } from './helpers.ts';

beforeEach(resetDb);

describe('live queries', () => {
  it('re-emit datasets, versions and audit entries after each commit', async () => {
    const datasets: string[][] = [];
    const versions: number[] = [];
    const audit: number[] = [];
    const subscriptions = [
      liveDatasets().subscribe((list) => datasets.push(list.map((d) => d.name))),
      liveVersions().subscribe((list) => versions.push(list.length)),
      liveAudit().subscribe((list) => audit.push(list.length)),
    ];
    try {
      await vi.waitFor(() => expect([datasets.length, versions.length, audit.length]).toEqual([1, 1, 1]));
      await saveImport(sampleImport());
      await vi.waitFor(() => expect(audit).toEqual([0, 1]));
      await appendAudit('export', 'model 1', {});
      await vi.waitFor(() => {
        expect(audit).toEqual([0, 1, 2]);
        expect(datasets).toEqual([[], ['sales']]);
        expect(versions).toEqual([0, 1]);
      });
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
  });
});
