// serveHelper writes the scored and rejects files over the bytes of the part it parsed (no fresh pages), and they read as when written into new buffers.
import { describe, expect, it } from 'vitest';
import { fitPlan } from '../../../src/lib/pipeline/features/fit.ts';
import { parseCsv } from '../../../src/lib/pipeline/parse-csv.ts';
import { serveHelper, type HelperReply, type HelperState } from '../../../src/lib/pipeline/score-output.ts';
import { cleanSelection } from '../../../src/lib/pipeline/score-input.ts';
import type { RecipeStep } from '../../../src/lib/pipeline/recipe/types.ts';

function lines(rows: number): string {
  const out = ['x,c,y'];
  for (let i = 0; i < rows; i++) out.push(`${i % 9 === 4 ? '' : ((i * 0.37) % 5).toFixed(2)},${['a', 'b', 'c'][i % 3]},${i % 2 ? 'yes' : 'no'}`);
  return out.join('\n') + '\n';
}

const steps: RecipeStep[] = [{ kind: 'drop-duplicates' }, { kind: 'impute', columns: ['x'], method: 'median' }, { kind: 'filter', expression: "d => d.c !== 'b'" }];

/** The helper's scored and rejects files for 3000 rows, after a part of a file was parsed there when `parsed` is given. */
async function helperOutput(parsed: Uint8Array | null) {
  const raw = parseCsv(lines(3000), 'f.csv');
  const bundle = fitPlan(raw, { target: 'y', task: 'binary', features: ['x', 'c'], dropped: [] }, Int32Array.from({ length: 3000 }, (_, i) => i));
  const cleaned = await cleanSelection(raw, steps);
  const n = cleaned.rows?.length ?? raw.rowCount;
  const state: HelperState = { writer: null, timings: {} };
  if (parsed) {
    // The part comes in pieces, as score-read.ts copies it.
    serveHelper(state, { op: 'parse-start', fileName: 'part', options: { encoding: 'utf-8', delimiter: ',', decimal: '.', totalBytes: parsed.length } });
    const cut = parsed.indexOf(10, Math.min(parsed.length - 1, 8 << 20)) + 1;
    for (const bytes of [parsed.subarray(0, cut), parsed.subarray(cut)]) serveHelper(state, { op: 'parse-piece', bytes });
    serveHelper(state, { op: 'parse-end' });
  }
  const batch = 512;
  const batches = Math.ceil(n / batch);
  serveHelper(state, { op: 'start', table: cleaned.table, rows: cleaned.rows, bundle, batchRows: batch, rejects: { raw, rejects: cleaned.rejects }, batches });
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const probabilities = Float32Array.from({ length: (to - from) * 2 }, (_, i) => (i % 2 ? (from + i) / (2 * n) : 1 - (from + i) / (2 * n)));
    serveHelper(state, { op: 'write', from, to, probabilities, chosen: Int32Array.from({ length: to - from }, (_, i) => i % 2) });
  }
  return serveHelper(state, { op: 'finish' }) as Extract<HelperReply, { op: 'finish' }>;
}

describe('serveHelper over the parsed part', () => {
  it('writes the same files into the part’s bytes as into new buffers', async () => {
    // Larger than the first buffers of both files (4 MiB and 1 MiB).
    const part = new TextEncoder().encode(lines(700_000));
    const over = await helperOutput(part);
    const fresh = await helperOutput(null);
    expect(over.csv.some((p) => p.buffer === part.buffer)).toBe(true);
    expect(over.rejects!.some((p) => p.buffer === part.buffer)).toBe(true);
    expect(Buffer.concat(over.csv).equals(Buffer.concat(fresh.csv))).toBe(true);
    expect(Buffer.concat(over.rejects!).equals(Buffer.concat(fresh.rejects!))).toBe(true);
    expect(Buffer.concat(fresh.csv).toString().split('\r\n')[0]).toBe('x,c,y,predicted_y,probability_no,probability_yes');
  });
});
