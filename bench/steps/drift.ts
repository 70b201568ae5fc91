// Bench step drift: the 16 columns of the 1M-row table (sketched) against the generator's second, shifted 1M-row file: every figure, both verdicts, the noise bars; the peer computes the same figures with Arquero verbs.
import * as aq from 'arquero';
// @ts-expect-error -- bench/generate-table.mjs is plain JavaScript without a declaration file
import { SHIFTED as SHIFTED_JS, tableText as tableTextJs } from '../generate-table.mjs';
import { compareWithSketch } from '../../src/lib/pipeline/drift/compare.ts';
import { chiSquareSf } from '../../src/lib/pipeline/drift/gamma.ts';
import { ksPValue } from '../../src/lib/pipeline/drift/ks.ts';
import { jensenShannon, psi } from '../../src/lib/pipeline/drift/numeric.ts';
import { sketchTable } from '../../src/lib/pipeline/drift/sketch.ts';
import type { CategorySketch, DriftReport, NumericSketch, ReferenceSketch } from '../../src/lib/pipeline/drift/types.ts';
import { parseFile } from '../../src/lib/pipeline/parse.ts';
import { columnAsStrings, isStringColumn } from '../../src/lib/pipeline/table.ts';
import type { DataTable } from '../../src/lib/pipeline/types.ts';
import { defineStep } from '../harness.ts';

const ROWS = 1_000_000;
const SHIFTED = SHIFTED_JS as { seed: number; shift: boolean };
const tableText = tableTextJs as (options: { rows: number; seed: number; shift: boolean }) => string;
type Figures = Record<string, number | string[]>;

export interface State {
  reference: DataTable;
  sketch: ReferenceSketch;
  current: DataTable;
  /** The peer's inputs: the sketch's sampled values and level counts, and the batch, as Arquero tables. */
  peerReference: Map<string, aq.ColumnTable>;
  peerCurrent: aq.ColumnTable;
  report: DriftReport | null;
  peer: Record<string, Figures> | null;
}

/** The same figures with Arquero verbs: quantiles (op.quantile), binning (derive), counts (groupby/count), ECDFs from orderby-sorted columns. */
export function peerFigures(state: State): Record<string, Figures> {
  const out: Record<string, Figures> = {};
  for (const column of state.sketch.columns) {
    const ref = state.peerReference.get(column.name) as aq.ColumnTable;
    const picked = state.peerCurrent.select(column.name).rename({ [column.name]: 'v' });
    const cur = column.kind === 'number' ? picked.filter('d => op.is_finite(d.v)') : picked.filter('d => d.v != null');
    if (column.kind === 'number') {
      const quantiles = ref.rollup(Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => [`q${k}`, aq.op.quantile('v', k / 10)]))).object() as Record<string, number>;
      const edges = [...new Set(Object.values(quantiles))];
      // bin = how many edges are ≤ v, as a chain of comparisons.
      const binOf = `d => ${edges.map((e, k) => `d.v < ${e} ? ${k} : `).join('')}${edges.length}`;
      const shares = (t: aq.ColumnTable) => {
        const counts = t.derive({ bin: binOf }).groupby('bin').count().objects() as { bin: number; count: number }[];
        const n = t.numRows();
        return Array.from({ length: edges.length + 1 }, (_, b) => (counts.find((c) => c.bin === b)?.count ?? 0) / n);
      };
      const p = shares(ref);
      const q = shares(cur);
      const a = ref.orderby('v').array('v') as ArrayLike<number>;
      const b = cur.orderby('v').array('v') as ArrayLike<number>;
      // ECDFs at every value of both sides, from the sorted columns.
      let i = 0, j = 0, ks = 0, area = 0, last = NaN, diff = 0;
      while (i < a.length || j < b.length) {
        const x = i < a.length && (j >= b.length || (a[i] as number) <= (b[j] as number)) ? (a[i] as number) : (b[j] as number);
        if (i + j > 0) area += diff * (x - last);
        while (i < a.length && a[i] === x) i++;
        while (j < b.length && b[j] === x) j++;
        diff = Math.abs(i / a.length - j / b.length);
        ks = Math.max(ks, diff);
        last = x;
      }
      const std = (ref.rollup({ s: aq.op.stdevp('v') }).object() as { s: number }).s;
      const test = ksPValue(ks, a.length, b.length);
      out[column.name] = { psi: psi(p, q), ks: test.statistic, ksP: test.pValue, wasserstein: area, wassersteinNormed: area / (std > 0 ? std : 0.001), jensenShannon: jensenShannon(p, q) };
    } else {
      const counted = cur.groupby('v').count({ as: 'current' });
      const joined = ref.join_full(counted, 'v').derive({ count: 'd => d.count == null ? 0 : d.count', current: 'd => d.current == null ? 0 : d.current' });
      const rows = joined.objects() as { v: string; count: number; current: number }[];
      const n1 = rows.reduce((s, r) => s + r.count, 0);
      const n2 = rows.reduce((s, r) => s + r.current, 0);
      const chi2 = (joined
        .params({ n1, n2 })
        .derive({ e1: (d: { count: number; current: number }, $: { n1: number; n2: number }) => ((d.count + d.current) * $.n1) / ($.n1 + $.n2), e2: (d: { count: number; current: number }, $: { n1: number; n2: number }) => ((d.count + d.current) * $.n2) / ($.n1 + $.n2) })
        .derive({ term: (d: { count: number; current: number; e1: number; e2: number }) => (d.count - d.e1) ** 2 / d.e1 + (d.current - d.e2) ** 2 / d.e2 })
        .rollup({ chi2: aq.op.sum('term') })
        .object() as { chi2: number }).chi2;
      const p = rows.map((r) => r.count / n1);
      const q = rows.map((r) => r.current / n2);
      out[column.name] = { psi: psi(p, q), chi2, chi2P: chiSquareSf(chi2, rows.length - 1), jensenShannon: jensenShannon(p, q), newCategories: rows.filter((r) => r.count === 0).map((r) => r.v).sort() };
    }
  }
  return out;
}

export function differences(report: DriftReport, peer: Record<string, Figures>): string[] {
  const found: string[] = [];
  for (const c of report.columns) {
    const theirs = peer[c.column];
    if (!theirs || !c.figures) {
      found.push(`${c.column}: ${!theirs ? 'no peer figures' : c.status}`);
      continue;
    }
    for (const [key, value] of Object.entries(theirs)) {
      const ours = (c.figures as unknown as Record<string, number | string[]>)[key];
      if (Array.isArray(value)) {
        if (JSON.stringify([...(ours as string[])].sort()) !== JSON.stringify(value)) found.push(`${c.column}.${key}: ${JSON.stringify(ours)} vs ${JSON.stringify(value)}`);
      } else if (!(Math.abs((ours as number) - value) <= 1e-9 * Math.max(1e-300, Math.abs(value)) || ours === value)) found.push(`${c.column}.${key}: ${String(ours)} vs ${value}`);
    }
  }
  return found;
}

export function registerDriftStep(): void {
  defineStep<State>({
    name: 'drift',
    description: 'compareWithSketch: the 1M-row table sketched (100k sampled values per numeric column, all level counts; the sketching is timed apart in the breakdown) against the shifted 1M-row file (generate-table.mjs --seed 2 --shift): PSI, KS and p, Wasserstein raw and normed, Jensen-Shannon; chi-square, new categories; both verdicts and the 100-resample noise bar of all 16 columns',
    peer: 'Arquero verbs: op.quantile bins, derive + groupby/count shares, orderby-sorted columns for KS and Wasserstein, op.stdevp, join_full of level counts for chi-square (no noise bar)',
    reps: 5,
    peerReps: 2,
    targets: [{ kind: 'maxMs', ms: 1000 }, { kind: 'minSpeedup', factor: 5 }],
    async setup(ctx) {
      const reference = parseFile(new Uint8Array(await (await ctx.csvFile()).arrayBuffer()), 'reference.csv');
      ctx.log('drift: generating the shifted 1M-row file (seed 2)…');
      const current = parseFile(new TextEncoder().encode(tableText({ rows: ROWS, ...SHIFTED })), 'shifted.csv');
      if (reference.rowCount !== ROWS || current.rowCount !== ROWS) throw new Error(`bench: drift tables have ${reference.rowCount} and ${current.rowCount} rows`);
      const sketch = sketchTable(reference);
      const peerReference = new Map<string, aq.ColumnTable>();
      for (const c of sketch.columns) {
        if (c.kind === 'number') peerReference.set(c.name, aq.table({ v: Array.from((c as NumericSketch).values) }));
        else peerReference.set(c.name, aq.table({ v: (c as CategorySketch).levels, count: (c as CategorySketch).counts }));
      }
      const peerCurrent = aq.table(Object.fromEntries(current.columns.map((c) => [c.name, isStringColumn(c) ? columnAsStrings(c) : Array.from(c.values)])));
      return { reference, sketch, current, peerReference, peerCurrent, report: null, peer: null };
    },
    async run(state) {
      state.report = compareWithSketch(state.sketch, state.current);
      if (state.report.columns.length !== 16) throw new Error('bench: drift compared fewer than 16 columns');
    },
    async peerRun(state) {
      state.peer = peerFigures(state);
    },
    async breakdown(state, _ctx, time) {
      await time('sketch the 1M-row reference (not in the timed run)', () => sketchTable(state.reference));
      await time('compare: all 16 columns', () => compareWithSketch(state.sketch, state.current));
      await time('compare: figures only (1 noise resample)', () => compareWithSketch(state.sketch, state.current, { resamples: 1 }));
    },
    async extra(state) {
      const report = state.report as DriftReport;
      return {
        datasetDrift: report.datasetDrift,
        driftShare: report.driftShare,
        driftedColumns: report.columns.filter((c) => c.drifted).map((c) => c.column),
        classicDrifted: report.columns.filter((c) => c.classic.drifted).map((c) => c.column),
        disagreements: state.peer ? differences(report, state.peer) : null,
      };
    },
  });
}
