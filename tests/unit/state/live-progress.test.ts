// The live progress of a run (a rune state class, compiled for Node): reports are published at most every 100 ms, except a search's next trial, which shows at once however short it is.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainProgress } from '../../../src/lib/contracts/training.ts';

const { LiveProgress } = await import('../../../src/lib/state/live-progress.svelte.ts');

const report = (epoch: number, extra: Partial<TrainProgress> = {}): TrainProgress => ({ runId: 'r', epoch, epochs: 100, loss: 1 / epoch, backend: 'wasm', ...extra });

describe('LiveProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('publishes a run’s reports together, at most every 100 ms', () => {
    const live = new LiveProgress();
    live.start();
    for (let epoch = 1; epoch <= 5; epoch++) live.report(report(epoch));
    expect(live.progress).toBeNull();
    vi.advanceTimersByTime(100);
    expect(live.progress?.epoch).toBe(5);
    expect(live.curve.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
  });

  it('shows each trial of a search as it starts, even one that ends before the next update', () => {
    const live = new LiveProgress();
    live.start();
    const shown: string[] = [];
    const look = () => shown.push(`${live.trial}:${live.progress?.model ?? '-'}:${live.progress?.epoch ?? '-'}`);
    live.report(report(1, { trial: 1, trials: 2, model: 'mlp' }));
    live.report(report(2, { trial: 1, trials: 2, model: 'mlp' }));
    vi.advanceTimersByTime(100);
    look();
    live.report(report(3, { trial: 1, trials: 2, model: 'mlp' }));
    // Trial 2 (trees) starts and runs all its rounds within one interval; then the refit starts.
    for (let round = 1; round <= 100; round++) {
      live.report(report(round, { trial: 2, trials: 2, model: 'gbdt' }));
      if (round === 1) look();
    }
    live.report(report(1, { trial: 2, trials: 2, model: 'gbdt', refit: true }));
    vi.advanceTimersByTime(100);
    look();
    expect(shown).toEqual(['1:mlp:2', '2:gbdt:1', '2:gbdt:1']);
    expect(live.progress?.refit).toBe(true);
    // The curve is the current trial's, from its first round.
    expect(live.curve[0]?.epoch).toBe(1);
  });
});
