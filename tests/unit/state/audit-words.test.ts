// The Audit view's words: a run named by its label (stored, recorded on the entry, or the id's start), details as text.
import { describe, expect, it } from 'vitest';
import { auditDetails, auditSubject } from '../../../src/lib/state/audit-words.ts';
import { runLabel } from '../../../src/lib/pipeline/run-label.ts';

const id = '3f2a9c1e-7b1e-4c2d-9a0b-5e6f7a8b9c0d';

describe('auditSubject', () => {
  it('replaces a run id by the stored run label, else the recorded one, else the first 8 characters', () => {
    const entry = { subject: `run ${id}`, details: { runId: id } };
    expect(auditSubject(entry, (runId) => (runId === id ? 'mlp · 3f2a → species' : undefined))).toBe('run mlp · 3f2a → species');
    expect(auditSubject({ ...entry, details: { runId: id, label: 'linear · 3f2a' } }, () => undefined)).toBe('run linear · 3f2a');
    expect(auditSubject(entry, () => undefined)).toBe('run 3f2a9c1e');
  });

  it('leaves subjects without the run id as they are', () => {
    expect(auditSubject({ subject: 'penguins v1', details: { runId: id } }, () => 'x')).toBe('penguins v1');
    expect(auditSubject({ subject: 'import weather v1', details: {} }, () => 'x')).toBe('import weather v1');
  });
});

describe('auditDetails and runLabel', () => {
  it('writes details as key: value text', () => {
    expect(auditDetails({ runId: 'a', rows: 3, failures: ['x'] })).toBe('runId: a · rows: 3 · failures: ["x"]');
  });
  it('names a run by kind, trial and the id start', () => {
    expect(runLabel({ id, params: { kind: 'mlp' } })).toBe('mlp · 3f2a');
    expect(runLabel({ id: `${id}/trial-3`, params: { kind: 'linear' } })).toBe('linear trial 3 · 3f2a');
    expect(runLabel({ id, params: { kind: 'gbdt' } })).toBe('trees · 3f2a');
  });
});
