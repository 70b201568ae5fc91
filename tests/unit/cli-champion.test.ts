// `millrace run --champion DIR` and `millrace review --champion DIR`: the champion bundle scored on the same test rows, in report.json and the verdict.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/args.ts';
import { DATA, millrace } from './cli-run.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-champion-'));
const penguins = `${DATA}/penguins.json`;

interface Report {
  metrics: { accuracy: number };
  champion: Record<string, number> | null;
  vsChampion: Record<string, { estimate: number; low: number; high: number }> | null;
  verdict: { passed: boolean; failures: string[] };
}
const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

describe('--champion', () => {
  it('is parsed for run (with --spec too) and review', () => {
    expect(parseCommand(['run', '--data', 'd.csv', '--target', 'y', '--out', 'o', '--champion', 'old'])).toMatchObject({ name: 'run', champion: 'old' });
    expect(parseCommand(['run', '--spec', 's.json', '--data', 'd.csv', '--out', 'o', '--champion', 'old'])).toMatchObject({ name: 'run', champion: 'old' });
    expect(parseCommand(['review', '--model', 'm', '--data', 'd.csv', '--champion', 'old'])).toMatchObject({ name: 'review', champion: 'old' });
  });

  it('compares a run and a review with the champion on the same rows; refuses one for another target', () => {
    const champion = join(work, 'champion');
    expect(millrace('run', '--data', penguins, '--target', 'Species', '--model', 'linear', '--epochs', '3', '--seed', '5', '--out', champion).status).toBe(0);
    const policy = join(work, 'policy.json');
    writeFileSync(policy, JSON.stringify({ metrics: [{ metric: 'accuracy', minAbsoluteChange: 0.9 }] }));

    const out = join(work, 'candidate');
    const run = millrace('run', '--data', penguins, '--target', 'Species', '--epochs', '20', '--seed', '5', '--policy', policy, '--champion', champion, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const candidate = report(out);
    // Same seed, so the same test rows: the champion scores as its own report says.
    expect(candidate.champion!.accuracy).toBeCloseTo(report(champion).metrics.accuracy, 10);
    expect(candidate.vsChampion!.accuracy!.estimate).toBeCloseTo(candidate.metrics.accuracy - candidate.champion!.accuracy!, 10);
    expect(candidate.verdict.passed).toBe(false);
    expect(candidate.verdict.failures).toEqual([expect.stringMatching(/^accuracy change over the champion \(0\.\d+\) .* is below the least change 0\.9$/)]);
    const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')) as Report;
    expect(evaluation.vsChampion).not.toBeNull();
    // Without a champion the fields are there, empty.
    expect(report(champion)).toMatchObject({ champion: null, vsChampion: null });

    const reviewed = millrace('review', '--model', out, '--data', penguins, '--policy', policy, '--champion', join(champion, 'model'));
    expect(reviewed.status).toBe(3);
    expect(reviewed.stderr).toMatch(/^millrace: review: accuracy change over the champion/);
    // The model's pipeline.json carries the run's policy; a policy without a champion rule passes.
    const plain = join(work, 'plain.json');
    writeFileSync(plain, JSON.stringify({ metrics: [{ metric: 'accuracy', threshold: 0.5 }] }));
    expect(millrace('review', '--model', out, '--data', penguins, '--policy', plain, '--champion', champion).status).toBe(0);

    const island = join(work, 'island');
    expect(millrace('run', '--data', penguins, '--target', 'Island', '--model', 'linear', '--epochs', '2', '--out', island).status).toBe(0);
    const refused = millrace('run', '--data', penguins, '--target', 'Species', '--epochs', '2', '--champion', island, '--out', join(work, 'refused'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`millrace: --champion ${island}: champion trained for another target ("Island") than the run's ("Species")\n`);
    const refusedReview = millrace('review', '--model', out, '--data', penguins, '--champion', island);
    expect(refusedReview.status).toBe(1);
    expect(refusedReview.stderr).toMatch(/champion trained for another target \("Island"\)/);
    expect(millrace('review', '--model', out, '--data', penguins, '--champion', join(work, 'nowhere')).stderr).toMatch(/--champion .*nowhere holds no model\.json/);
  }, 300_000);
});
