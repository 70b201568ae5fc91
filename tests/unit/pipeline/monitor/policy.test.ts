// The monitoring policy: defaults (dataset drift and decay on, the rest opt-in), the triggers each kind of evidence fires with its reason, and a schedule missed while the studio was closed.
import { describe, expect, it } from 'vitest';
import { firedTriggers, resolveMonitorPolicy, scheduleDue, type TriggerEvidence } from '../../../../src/lib/pipeline/monitor/policy.ts';

const now = new Date('2026-12-04T12:00:00Z');
const quiet: TriggerEvidence = { drift: { datasetDrift: false, driftShare: 0.2, drifted: ['wind'] }, decay: { decayed: false, estimated: true, metrics: [] }, newRows: 0, lastScheduledAt: null, now };

describe('resolveMonitorPolicy', () => {
  it('fills the defaults: dataset drift and decay trigger, the newest version, waiting for approval', () => {
    expect(resolveMonitorPolicy(null)).toEqual({
      triggers: { datasetDrift: true, decay: true, keyColumns: [], newRows: null, scheduleHours: null },
      drift: {},
      retrain: { data: { kind: 'newest', versions: 1 }, autoPromote: false },
    });
    expect(resolveMonitorPolicy({ retrain: { data: { kind: 'window' } } }).retrain.data).toEqual({ kind: 'window', versions: 3 });
  });
});

describe('firedTriggers', () => {
  it('fires nothing on a quiet batch under the defaults', () => {
    expect(firedTriggers(resolveMonitorPolicy(null), quiet)).toEqual([]);
  });

  it('names dataset drift, a key column, decay, volume and the schedule with their reasons', () => {
    const policy = resolveMonitorPolicy({ triggers: { keyColumns: ['wind', 'temp_max'], newRows: 300, scheduleHours: 24 } });
    const evidence: TriggerEvidence = {
      drift: { datasetDrift: true, driftShare: 0.6, drifted: ['temp_max', 'temp_min', 'precipitation'] },
      decay: { decayed: true, estimated: true, metrics: ['accuracy'] },
      newRows: 365,
      lastScheduledAt: '2026-12-03T11:00:00Z',
      now,
    };
    expect(firedTriggers(policy, evidence)).toEqual([
      { kind: 'dataset-drift', reason: 'dataset drift: 3 columns drifted (60%): temp_max, temp_min, precipitation' },
      { kind: 'key-column', reason: 'a key column drifted: temp_max' },
      { kind: 'decay', reason: 'estimated decay of Accuracy' },
      { kind: 'new-rows', reason: '365 new rows since training (the policy retrains from 300)' },
      { kind: 'schedule', reason: 'the 24-hour schedule is due' },
    ]);
  });

  it('leaves out what the policy turned off', () => {
    const policy = resolveMonitorPolicy({ triggers: { datasetDrift: false, decay: false } });
    const evidence = { ...quiet, drift: { datasetDrift: true, driftShare: 1, drifted: ['wind'] }, decay: { decayed: true, estimated: false, metrics: ['accuracy'] } };
    expect(firedTriggers(policy, evidence)).toEqual([]);
  });
});

describe('scheduleDue', () => {
  it('is due after one period and counts the periods missed while closed', () => {
    expect(scheduleDue(24, '2026-12-04T00:00:00Z', now)).toEqual({ due: false, missed: 0 });
    expect(scheduleDue(24, '2026-12-03T00:00:00Z', now)).toEqual({ due: true, missed: 0 });
    expect(scheduleDue(24, '2026-11-30T00:00:00Z', now)).toEqual({ due: true, missed: 3 });
    expect(firedTriggers(resolveMonitorPolicy({ triggers: { scheduleHours: 24 } }), { ...quiet, lastScheduledAt: '2026-11-30T00:00:00Z' })[0]!.reason).toBe(
      'the 24-hour schedule is due; 3 scheduled runs were missed while the studio was closed',
    );
    expect(scheduleDue(null, '2026-11-30T00:00:00Z', now).due).toBe(false);
  });
});
