// scoreFile: the worker's scoring path: refused missing columns, ignored extras, rejects with the recipe step, chunked = one-shot = scoreTable + predictionsCsv, progress and cancel.
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../../src/lib/ml/backend-node.ts';
import { buildModel } from '../../../../src/lib/ml/model.ts';
import { scoreFile, type ScoreProgress } from '../../../../src/lib/ml/score-file.ts';
import { scoreTable } from '../../../../src/lib/ml/score.ts';
import { predictionsCsv } from '../../../../src/lib/pipeline/csv-write.ts';
import { fitPlan } from '../../../../src/lib/pipeline/features/fit.ts';
import { parseCsv } from '../../../../src/lib/pipeline/parse-csv.ts';
import { applyRecipe } from '../../../../src/lib/pipeline/recipe/apply.ts';
import type { RecipeStep } from '../../../../src/lib/pipeline/recipe/types.ts';
import type { TaskKind } from '../../../../src/lib/pipeline/types.ts';

beforeAll(async () => void (await chooseBackend('wasm')));

const text = (parts: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(parts));
const bytes = (s: string) => new TextEncoder().encode(s);

/** 60 rows: x numeric (a few missing), c category, y binary, z numeric target, note unused. */
function lines(rows: number): string {
  const out = ['x,c,y,z,note'];
  for (let i = 0; i < rows; i++) out.push(`${i % 9 === 4 ? '' : (i * 0.37) % 5},${['a', 'b', 'c'][i % 3]},${i % 2 ? 'yes' : 'no'},${i * 1.5},n${i}`);
  return out.join('\n') + '\n';
}

function model(task: TaskKind, target: string) {
  const table = parseCsv(lines(60), 'train.csv');
  const bundle = fitPlan(table, { target, task, features: ['x', 'c'], dropped: [] }, Int32Array.from({ length: 60 }, (_, i) => i));
  const network = buildModel({ kind: 'mlp', task, width: bundle.width, classCount: task === 'regression' ? 1 : 2, hidden: [4], seed: 3 });
  return { bundle, network };
}

const recipe: RecipeStep[] = [
  { kind: 'drop-missing', columns: ['x'] },
  { kind: 'filter', expression: "d => d.c !== 'b'" },
  { kind: 'drop-missing', columns: ['y'] },
];

describe('scoreFile', () => {
  it('equals scoreTable + predictionsCsv on the cleaned table, one chunk or many, with the rejects in file order', async () => {
    const { bundle, network } = model('binary', 'y');
    const data = lines(50);
    const one = await scoreFile(bytes(data), 'new.csv', { network, bundle, steps: recipe, decision: { threshold: 0.4 } });
    const many = await scoreFile(bytes(data), 'new.csv', { network, bundle, steps: recipe, decision: { threshold: 0.4 } }, { chunkRows: 7 });
    expect(text(many.csv)).toBe(text(one.csv));
    const cleaned = (await applyRecipe(parseCsv(data, 'new.csv'), { steps: recipe })).table;
    const reference = predictionsCsv(cleaned, await scoreTable(network, bundle, cleaned, { threshold: 0.4 }));
    expect(text(one.csv)).toBe(reference);
    expect(one).toMatchObject({ rowsIn: 50, rows: cleaned.rowCount });
    const rejects = text(one.rejects!.csv).trimEnd().split('\r\n');
    expect(rejects[0]).toBe('row,x,c,y,z,note,reason');
    expect(rejects).toHaveLength(1 + 50 - cleaned.rowCount);
    expect(one.rejects!.rows).toBe(50 - cleaned.rowCount);
    // Row 1 (c = b) went at step 2, row 4 (x missing, c = b) at step 1 which ran first.
    expect(rejects[1]).toBe('1,0.37,b,yes,1.5,n1,Step 2 (filter): Keep rows where d => d.c !== \'b\'');
    expect(rejects[2]).toBe('4,,b,no,6,n4,Step 1 (drop-missing): Drop rows missing x');
    const numbers = rejects.slice(1).map((line) => Number(line.split(',')[0]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(one.notices.join('\n')).toMatch(/Ignored columns \(not read by the model; kept in the download\): "z", "note"/);
    expect(one.notices.join('\n')).toMatch(/at least 0\.4/);
  });

  it('scores regression and a file without the target (steps naming only the target are skipped)', async () => {
    const { bundle, network } = model('regression', 'z');
    const data = lines(20).split('\n').map((line) => line.split(',').filter((_, i) => i !== 3).join(',')).join('\n');
    const scored = await scoreFile(bytes(data), 'new.csv', { network, bundle, steps: [{ kind: 'drop-missing', columns: ['z'] }] }, { chunkRows: 6 });
    const out = text(scored.csv).trimEnd().split('\r\n');
    expect(out[0]).toBe('x,c,y,note,predicted_z');
    expect(out).toHaveLength(21);
    expect(scored.rejects).toBeNull();
  });

  it('refuses a file missing columns the model or its recipe needs, naming them all, before any work', async () => {
    const { bundle, network } = model('binary', 'y');
    const progress: ScoreProgress[] = [];
    const steps: RecipeStep[] = [{ kind: 'drop-missing', columns: ['z'] }];
    await expect(scoreFile(bytes('note,y\nq,yes\n'), 'thin.csv', { network, bundle, steps }, { onProgress: (p) => progress.push(p) })).rejects.toMatchObject({
      code: 'unknown-column',
      message: 'thin.csv lacks 3 columns the model needs: "x" (a model input), "c" (a model input), "z" (read by step 1 (drop-missing) of the recipe)',
    });
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['parsing']));
  });

  it('reports progress by chunk and stops on cancel between chunks', async () => {
    const { bundle, network } = model('binary', 'y');
    const progress: ScoreProgress[] = [];
    const done = await scoreFile(bytes(lines(50)), 'new.csv', { network, bundle, steps: [] }, { chunkRows: 20, onProgress: (p) => progress.push(p) });
    expect(done.rows).toBe(50);
    // Parsing reports its bytes read (a first report at 0, then one per 1 MiB piece).
    expect(progress.filter((p) => p.phase !== 'parsing' || p.fraction === 0).map((p) => [p.phase, p.rowsDone])).toEqual([
      ['parsing', 0],
      ['cleaning', 0],
      ['scoring', 20],
      ['scoring', 40],
      ['scoring', 50],
      ['done', 50],
    ]);
    let chunks = 0;
    let paused = 0;
    await expect(
      scoreFile(bytes(lines(50)), 'new.csv', { network, bundle, steps: [] }, {
        chunkRows: 20,
        onProgress: (p) => void (p.phase === 'scoring' && chunks++),
        pause: async () => void paused++,
        shouldStop: () => chunks >= 1,
      }),
    ).rejects.toMatchObject({ code: 'cancelled', message: expect.stringContaining('new.csv') });
    expect([chunks, paused]).toEqual([1, 1]);
  });
});
