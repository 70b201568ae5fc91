// The audit log: a verifiable hash chain, tamper detection, serialized concurrent appends, JSON-lines export.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, exportAudit, listAudit, verifyAudit } from '../../../src/lib/store/audit.ts';
import { openDb } from '../../../src/lib/store/db.ts';
import { resetDb } from './helpers.ts';

beforeEach(resetDb);

describe('audit log', () => {
  it('chains entries and verifies them', async () => {
    const first = await appendAudit('import', 'sales v1', { rows: 3 });
    const second = await appendAudit('export', 'model 1', {});
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(second.prevHash).toBe(first.hash);
    expect(await verifyAudit()).toEqual({ ok: true, count: 2 });
  });

  it('detects an entry edited directly in the table', async () => {
    await appendAudit('import', 'sales v1', { rows: 3 });
    await appendAudit('train', 'run r1', { seed: 1 });
    await appendAudit('export', 'model 1', {});
    await openDb().audit.update(2, { details: { seed: 2 } });
    const result = await verifyAudit();
    expect(result).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('serializes concurrent appends into one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit('score', `batch ${i}`, { i })));
    const entries = await listAudit();
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAudit()).toEqual({ ok: true, count: 20 });
  });

  it('exports one JSON object per line, oldest first', async () => {
    expect(await exportAudit()).toBe('');
    await appendAudit('import', 'a v1', {});
    await appendAudit('import', 'b v1', {});
    const lines = (await exportAudit()).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { subject: string }).subject)).toEqual(['a v1', 'b v1']);
  });
});
