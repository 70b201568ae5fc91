// Run comparison rows: what each run was trained on, including the recipe, rule suite and privacy actions of its data.
import { describe, expect, it } from 'vitest';
import { paramRows } from '../../../src/lib/state/run-compare.ts';
import type { RunSummary } from '../../../src/lib/contracts/training.ts';
import { makeSpec } from '../../../src/lib/pipeline/spec/build.ts';
import { resolveParams } from '../../../src/lib/pipeline/spec/resolve.ts';

function run(id: string, preparation?: RunSummary['preparation']): RunSummary {
  return {
    id,
    versionId: 1,
    target: 'Species',
    task: 'multiclass',
    spec: makeSpec({ target: 'Species' }),
    params: resolveParams(makeSpec({ target: 'Species' }).model, 'multiclass').params,
    backend: 'wasm',
    metrics: { accuracy: 0.97 },
    split: { train: 275, test: 69 },
    durationMs: 1200,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(preparation ? { preparation } : {}),
  };
}

describe('paramRows', () => {
  it('shows the recipe version and steps, the suite version and privacy actions of each run', () => {
    // A summary counts the steps (the data worker sends counts, not the steps).
    const cleaned = run('aaaa', { recipeVersion: 2, suiteVersion: 1, recipeSteps: 2, privacySteps: 1 });
    const rows = paramRows([run('bbbb'), cleaned], () => 'penguins v1');
    const byKey = Object.fromEntries(rows.map((row) => [row.key, row.values]));
    expect(byKey.recipe).toEqual(['none', 'v2 (2 steps)']);
    expect(byKey.suite).toEqual(['suggested', 'v1']);
    expect(byKey.privacy).toEqual(['0', '1']);
    expect(byKey.dataset).toEqual(['penguins v1', 'penguins v1']);
    // Hyper-parameters come from the registry: the resolved model, MLP-only knobs blank for a linear one.
    expect(byKey.kind).toEqual(['linear', 'linear']);
    expect(byKey.dropout).toEqual(['—', '—']);
    expect(byKey.batchSize).toEqual(['automatic', 'automatic']);
    expect(byKey.seed).toEqual(['42', '42']);
  });
});
