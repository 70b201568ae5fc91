// The Monitor view's rune state in Node, both workers mocks behind the real clients: the watched version, reports loaded and shown, a comparison with progress, a refusal shown; column ordering and the words of a verdict.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { ModelSummary } from '../../../src/lib/contracts/store.ts';
import type { DriftRecord, DriftSummary } from '../../../src/lib/contracts/monitor.ts';
import type { ColumnDrift } from '../../../src/lib/pipeline/drift/types.ts';
import { barWords, figure, missingWords, verdictWords } from '../../../src/lib/state/monitor-words.ts';
import { deferred, resetApi, settle, type FakeApi } from './fakes.ts';

const apis = vi.hoisted(() => ({ ml: {} as FakeApi, data: {} as FakeApi }));
vi.mock('../../../src/lib/workers-client/ml-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/ml-client.ts')>();
  return { ...real, mlClient: () => new real.MlClient(apis.ml as never) };
});
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(apis.data as never) };
});

const { MonitorState, sortColumns, watchedVersion } = await import('../../../src/lib/state/monitor.svelte.ts');

const model = (version: number, aliases: string[] = []) => ({ id: version * 10, name: 'weather', version, aliases, target: 'weather' }) as unknown as ModelSummary;

const column = (name: string, over: Partial<ColumnDrift> = {}): ColumnDrift => ({
  column: name,
  kind: 'number',
  status: 'compared',
  drifted: false,
  method: 'wasserstein',
  value: 0.05,
  threshold: 0.1,
  practical: 0.1,
  noise95: 0.04,
  classic: { method: 'ks', value: 0.2, threshold: 0.05, drifted: false },
  figures: null,
  missingReference: 0,
  missingCurrent: 0,
  referenceRows: 100,
  currentRows: 100,
  ...over,
});

const summary = (id: number): DriftSummary => ({
  id,
  modelName: 'weather',
  modelVersion: 1,
  batchLabel: `batch ${id}`,
  rows: 365,
  createdAt: '2026-12-04T10:00:00.000Z',
  datasetDrift: false,
  driftShare: 0.25,
  shareThreshold: 0.5,
  drifted: ['temp_max'],
  predictionDrift: false,
  decayed: false,
  metric: { name: 'accuracy', value: 0.8, test: 0.82, estimated: true },
});
const record = (id: number) => ({ id, report: { columns: [column('temp_max')] } }) as unknown as DriftRecord & { id: number };

beforeEach(() => {
  resetApi(apis.ml);
  resetApi(apis.data);
});

describe('watchedVersion and sortColumns', () => {
  it('watches the champion, else the newest version', () => {
    expect(watchedVersion([model(1, ['champion']), model(2)], 'weather')!.version).toBe(1);
    expect(watchedVersion([model(1), model(2)], 'weather')!.version).toBe(2);
    expect(watchedVersion([model(1)], 'other')).toBeNull();
  });

  it('puts drifted columns first, the furthest over its bar first, tests by how far below their bar', () => {
    const columns = [
      column('a'),
      column('b', { drifted: true, value: 0.15 }),
      column('c', { drifted: true, value: 0.4 }),
      column('d', { drifted: true, method: 'ks', value: 0.001, threshold: 0.05 }),
      column('e', { status: 'missing-in-batch', drifted: true, value: null }),
    ];
    expect(sortColumns(columns, 'verdict').map((c) => c.column)).toEqual(['e', 'c', 'b', 'd', 'a']);
    expect(sortColumns(columns, 'name').map((c) => c.column)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const missing = [column('x', { missingCurrent: 0.1 }), column('y', { missingReference: 0.5 })];
    expect(sortColumns(missing, 'missing').map((c) => c.column)).toEqual(['y', 'x']);
  });
});

describe('the words of a verdict', () => {
  it('shows the figure against its bar, both numbers of the rule, and missing shares', () => {
    expect(verdictWords(column('a', { drifted: true, value: 0.2314 }))).toBe('Wasserstein (normed) 0.231 > 0.1');
    expect(verdictWords(column('a', { method: 'ks', value: 3e-17, threshold: 0.05, drifted: true }))).toBe('KS p-value 3.0e-17 < 0.05');
    expect(verdictWords(column('a', { value: null }))).toBe('Wasserstein (normed): not computed');
    expect(barWords(column('a'))).toBe('practical 0.1 · unchanged batches 0.04');
    expect(missingWords(column('a', { missingReference: 0.02, missingCurrent: 0.095 }))).toBe('2.0% → 9.5%');
    expect(figure(null)).toBe('—');
  });
});

describe('MonitorState', () => {
  it('loads the reports of the watched name, shows the newest, compares a batch with progress and lists it', async () => {
    apis.data.driftReports = vi.fn(async () => [summary(1), summary(2)]);
    apis.data.driftReport = vi.fn(async (id: number) => record(id));
    const state = new MonitorState();
    await state.watch('weather');
    expect(apis.data.driftReports).toHaveBeenCalledWith('weather');
    expect(state.reports.map((r) => r.id)).toEqual([1, 2]);
    expect(state.shown!.id).toBe(2);

    const reply = deferred<DriftRecord & { id: number }>();
    apis.ml.checkDrift = vi.fn(async (_request: unknown, onProgress?: (p: unknown) => void) => {
      onProgress?.({ phase: 'comparing', fraction: 0.5 });
      return reply.promise;
    });
    apis.data.driftReports = vi.fn(async () => [summary(1), summary(2), summary(3)]);
    const done = state.compare(model(1, ['champion']), { versionId: 4, whole: false });
    await settle();
    expect(state.running).toBe(true);
    expect(state.caption).toBe('Comparing every column…');
    expect(apis.ml.checkDrift.mock.calls[0]![0]).toEqual({ modelId: 10, batch: { versionId: 4, appendedOnly: true } });
    reply.resolve(record(3));
    await done;
    expect(state.running).toBe(false);
    expect(state.shown!.id).toBe(3);
    expect(state.reports).toHaveLength(3);
  });

  it('shows a refusal in words and keeps what it showed', async () => {
    apis.data.driftReports = vi.fn(async () => []);
    apis.ml.checkDrift = vi.fn(async () => {
      throw new AppError('bad-argument', 'empty.csv has no rows to compare with the model\'s reference');
    });
    const state = new MonitorState();
    await state.watch('weather');
    await state.compare(model(1), { file: new File(['a\n'], 'empty.csv') });
    expect(state.error).toMatch(/empty\.csv has no rows/);
    expect(state.shown).toBeNull();
    state.dismissError();
    expect(state.error).toBeNull();
  });
});
