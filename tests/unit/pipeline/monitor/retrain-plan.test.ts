// The retrain's decision and data: only a passed review registers the candidate, only autoPromote makes it champion; a window follows the append chain.
import { describe, expect, it } from 'vitest';
import { resolveMonitorPolicy } from '../../../../src/lib/pipeline/monitor/policy.ts';
import { decideCandidate, outcomeMetric, outcomeSummary, retrainVersion } from '../../../../src/lib/pipeline/monitor/retrain-plan.ts';

const waits = resolveMonitorPolicy(null);
const auto = resolveMonitorPolicy({ retrain: { autoPromote: true } });

describe('decideCandidate', () => {
  it('registers only a passed review, and promotes only under autoPromote', () => {
    expect(decideCandidate({ cancelled: false, passed: true }, waits)).toBe('challenger');
    expect(decideCandidate({ cancelled: false, passed: true }, auto)).toBe('promoted');
    expect(decideCandidate({ cancelled: false, passed: false }, auto)).toBe('rejected');
    expect(decideCandidate({ cancelled: false, passed: null }, auto)).toBe('rejected');
    expect(decideCandidate({ cancelled: true, passed: true }, auto)).toBe('cancelled');
  });
});

describe('retrainVersion', () => {
  // v1 imported, v2 and v3 appended to it; v4 imported on its own in another chain is not in this list.
  const chain = [
    { id: 10, version: 1, rows: 100, rowsAdded: 100 },
    { id: 11, version: 2, rows: 150, rowsAdded: 50, parentVersionId: 10 },
    { id: 12, version: 3, rows: 180, rowsAdded: 30, parentVersionId: 11 },
  ];
  it('takes the newest version by default', () => {
    expect(retrainVersion(waits, [...chain].reverse(), 'w').id).toBe(12);
  });
  it('takes the newest version when the window reaches the start of its chain', () => {
    expect(retrainVersion(resolveMonitorPolicy({ retrain: { data: { kind: 'window', versions: 3 } } }), chain, 'w').id).toBe(12);
    expect(retrainVersion(resolveMonitorPolicy({ retrain: { data: { kind: 'window', versions: 5 } } }), chain, 'w').id).toBe(12);
    const fresh = [...chain, { id: 13, version: 4, rows: 40, rowsAdded: 40 }];
    expect(retrainVersion(resolveMonitorPolicy({ retrain: { data: { kind: 'window', versions: 1 } } }), fresh, 'w').id).toBe(13);
  });
  it('refuses a window narrower than the newest version, naming both', () => {
    expect(() => retrainVersion(resolveMonitorPolicy({ retrain: { data: { kind: 'window', versions: 2 } } }), chain, 'w')).toThrow(
      /window of the last 2 versions of "w" is narrower than v3/,
    );
  });
  it('refuses a dataset with no version', () => {
    expect(() => retrainVersion(waits, [], 'w')).toThrow('Dataset "w" has no version to retrain on');
  });
});

describe('outcomeSummary', () => {
  const base = { modelName: 'm', fromVersion: 1, candidateVersion: 2, failures: [], metric: { name: 'accuracy', candidate: 0.8, champion: 0.7 } };
  it('says what happened in one sentence', () => {
    expect(outcomeSummary({ ...base, decision: 'challenger' })).toBe('m v2 passed its review (accuracy 0.800 against v1\'s 0.700 on the new test rows) and is the challenger; it waits for approval to replace v1');
    expect(outcomeSummary({ ...base, decision: 'promoted' })).toMatch(/replaced v1 as champion, as the policy allows$/);
    expect(outcomeSummary({ ...base, decision: 'rejected', candidateVersion: null, failures: ['accuracy 0.6 is below 0.7'] })).toMatch(/failed its review \(accuracy 0\.6 is below 0\.7\).*v1 stays$/);
    expect(outcomeSummary({ ...base, decision: 'failed', error: 'the gate is closed' })).toBe('The retrain of m could not run: the gate is closed; v1 stays');
  });
});

describe('outcomeMetric', () => {
  it("quotes the policy's metric, else accuracy or R², with the champion's value when there is one", () => {
    expect(outcomeMetric({ accuracy: 0.8, macroF1: 0.6 }, { accuracy: 0.7, macroF1: 0.5 }, 'macroF1')).toEqual({ name: 'macroF1', candidate: 0.6, champion: 0.5 });
    expect(outcomeMetric({ accuracy: 0.8 }, null)).toEqual({ name: 'accuracy', candidate: 0.8, champion: null });
    expect(outcomeMetric({ r2: 0.5, rmse: 2 }, { r2: 0.4 }, 'logLoss')).toEqual({ name: 'r2', candidate: 0.5, champion: 0.4 });
    expect(outcomeMetric({ rmse: 2 }, null)).toBeNull();
  });
});
