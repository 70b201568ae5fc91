// The Collect stage's import queue, in Node with the runes compiled and the data worker replaced by mocks behind the
// real DataClient: which file is staged next, duplicates, schema changes accepted or rejected, cancel.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import type { ImportResult, StagedImport } from '../../../src/lib/contracts/data.ts';
import { deferred, resetApi, settle, type Deferred, type FakeApi } from './fakes.ts';

const api = vi.hoisted(() => ({}) as FakeApi);
vi.mock('../../../src/lib/workers-client/data-client.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/lib/workers-client/data-client.ts')>();
  return { ...real, dataClient: () => new real.DataClient(api as never) };
});

const { ImportQueueState } = await import('../../../src/lib/state/import-queue.svelte.ts');

function staged(fileName: string, extra: Partial<StagedImport> = {}): StagedImport {
  return {
    importId: 'set-by-test',
    fileName,
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    notes: [],
    dateFormats: {},
    rows: 3,
    schema: [{ name: 'x', type: 'number' }],
    preview: { columns: ['x'], rows: [[1], [2], [3]], offset: 0, total: 3 },
    changes: [],
    ...extra,
  };
}

const file = (name: string) => new File(['x\n1\n2\n3\n'], name);

/** Each stageImport waits for the test: `stages[i]` answers the i-th file staged. */
function stagesOnDemand() {
  const stages: { name: string; importId: string; appendTo?: number; answer: Deferred<StagedImport> }[] = [];
  api.stageImport = vi.fn((input: { name: string }, options: { importId: string; appendTo?: number }) => {
    const answer = deferred<StagedImport>();
    stages.push({ name: input.name, importId: options.importId, appendTo: options.appendTo, answer });
    return answer.promise;
  });
  return stages;
}

let nextVersion = 1;
beforeEach(() => {
  resetApi(api);
  nextVersion = 1;
  api.commitImport = vi.fn(async (): Promise<ImportResult> => ({ datasetId: 1, versionId: nextVersion, version: nextVersion++, rows: 3 }));
  api.discardImport = vi.fn(async () => undefined);
  api.cancelImport = vi.fn(() => undefined);
});

describe('import queue', () => {
  it('stages files one at a time in the order they came, committing each before staging the next', async () => {
    const stages = stagesOnDemand();
    const imported: number[] = [];
    const queue = new ImportQueueState((result) => imported.push(result.versionId));
    queue.add([file('a.csv'), file('b.csv')]);
    await settle();
    expect(stages.map((s) => s.name)).toEqual(['a.csv']);
    expect(queue.items.map((i) => i.status)).toEqual(['reading', 'waiting']);
    expect(queue.fileName).toBe('a.csv');

    stages[0]!.answer.resolve(staged('a.csv'));
    await vi.waitFor(() => expect(stages.map((s) => s.name)).toEqual(['a.csv', 'b.csv']));
    expect(api.commitImport).toHaveBeenCalledWith(stages[0]!.importId);
    expect(queue.items[0]).toMatchObject({ status: 'stored', message: '3 rows · a v1' });
    expect(imported).toEqual([1]);

    stages[1]!.answer.resolve(staged('b.csv'));
    await vi.waitFor(() => expect(queue.items[1]?.status).toBe('stored'));
    expect(imported).toEqual([1, 2]);
    expect(queue.notice).toBe('Imported b.csv: 3 rows as b v2.');
    expect(queue.busy).toBe(false);
    queue.destroy();
  });

  it('a file read before is not stored again: the staged copy is discarded and the next file goes on', async () => {
    const stages = stagesOnDemand();
    const queue = new ImportQueueState(() => undefined);
    queue.add([file('copy.csv'), file('next.csv')]);
    await settle();
    stages[0]!.answer.resolve(staged('copy.csv', { duplicateOf: { versionId: 4, version: 2, datasetName: 'sales' } }));
    await vi.waitFor(() => expect(stages).toHaveLength(2));
    expect(api.discardImport).toHaveBeenCalledWith(stages[0]!.importId);
    expect(api.commitImport).not.toHaveBeenCalled();
    expect(queue.items[0]).toMatchObject({ status: 'duplicate', message: 'Already imported as v2 of sales' });
    // The notice names the duplicate until the next file starts.
    stages[1]!.answer.resolve(staged('next.csv', { duplicateOf: { versionId: 5, version: 1, datasetName: 'next' } }));
    await vi.waitFor(() => expect(queue.items[1]?.status).toBe('duplicate'));
    expect(queue.notice).toBe('Already imported as v1 of next (next.csv); nothing new was stored.');
    queue.destroy();
  });

  it('a batch whose schema differs waits for the decision, and the next file waits with it', async () => {
    const stages = stagesOnDemand();
    const imported: number[] = [];
    const queue = new ImportQueueState((result) => imported.push(result.versionId));
    const changes = [{ kind: 'added', column: 'wind' }] as unknown as StagedImport['changes'];
    queue.add([file('batch-1.csv'), file('batch-2.csv')], { appendTo: 7 });
    await settle();
    expect(stages[0]!.appendTo).toBe(7);
    stages[0]!.answer.resolve(staged('batch-1.csv', { changes, appendTo: { datasetId: 7, datasetName: 'weather', version: 3 } }));
    await vi.waitFor(() => expect(queue.staged?.fileName).toBe('batch-1.csv'));
    await settle();
    expect(queue.items.map((i) => i.status)).toEqual(['review', 'waiting']);
    expect(stages).toHaveLength(1);
    expect(api.commitImport).not.toHaveBeenCalled();

    // Accept: stored as the dataset's next version; then the second batch is staged.
    queue.commit();
    await vi.waitFor(() => expect(stages).toHaveLength(2));
    expect(queue.items[0]).toMatchObject({ status: 'stored', message: '3 rows · weather v1' });
    expect(imported).toEqual([1]);

    // Reject: nothing stored.
    stages[1]!.answer.resolve(staged('batch-2.csv', { changes, appendTo: { datasetId: 7, datasetName: 'weather', version: 4 } }));
    await vi.waitFor(() => expect(queue.staged?.fileName).toBe('batch-2.csv'));
    queue.discard();
    await vi.waitFor(() => expect(queue.items[1]?.status).toBe('discarded'));
    expect(queue.items[1]?.message).toBe('Schema change rejected; nothing stored');
    expect(api.discardImport).toHaveBeenCalledWith(stages[1]!.importId);
    expect(api.commitImport).toHaveBeenCalledTimes(1);
    expect(imported).toEqual([1]);
    queue.destroy();
  });

  it('a batch with the same columns is stored without a review; notes or a guessed encoding stop a new file for review', async () => {
    const stages = stagesOnDemand();
    const queue = new ImportQueueState(() => undefined);
    queue.add([file('same.csv')], { appendTo: 7 });
    queue.add([file('latin.csv')]);
    await settle();
    stages[0]!.answer.resolve(staged('same.csv', { appendTo: { datasetId: 7, datasetName: 'weather', version: 3 }, notes: ['2 blank lines skipped'] }));
    await vi.waitFor(() => expect(stages).toHaveLength(2));
    expect(queue.items[0]?.status).toBe('stored');
    stages[1]!.answer.resolve(staged('latin.csv', { encoding: 'windows-1252' }));
    await vi.waitFor(() => expect(queue.staged?.fileName).toBe('latin.csv'));
    expect(queue.items[1]?.status).toBe('review');
    queue.destroy();
  });

  it('a guessed delimiter or decimal comma stops a new file for review', async () => {
    const stages = stagesOnDemand();
    const queue = new ImportQueueState(() => undefined);
    queue.add([file('eu.csv')]);
    await settle();
    stages[0]!.answer.resolve(staged('eu.csv', { delimiter: ';', decimal: ',', guessed: ['Decimal separator guessed: comma, from numbers such as 3,5 in the first lines'] }));
    await vi.waitFor(() => expect(queue.staged?.fileName).toBe('eu.csv'));
    expect(queue.items[0]?.status).toBe('review');
    expect(api.commitImport).not.toHaveBeenCalled();
    queue.destroy();
  });

  it('cancel stops the file being read in the worker and drops the files still waiting', async () => {
    const stages = stagesOnDemand();
    const queue = new ImportQueueState(() => undefined);
    queue.add([file('big.csv'), file('later.csv'), file('last.csv')]);
    await settle();
    queue.cancel();
    expect(api.cancelImport).toHaveBeenCalledWith(stages[0]!.importId);
    expect(queue.items.slice(1).map((i) => [i.status, i.message])).toEqual([
      ['cancelled', 'Cancelled before it started'],
      ['cancelled', 'Cancelled before it started'],
    ]);
    // The worker stops within a second and rejects the stage.
    stages[0]!.answer.reject(new AppError('cancelled', 'Import of big.csv cancelled'));
    await vi.waitFor(() => expect(queue.items[0]?.status).toBe('cancelled'));
    expect(queue.items[0]?.message).toBe('Cancelled; nothing stored');
    expect(queue.error).toBeNull();
    expect(stages).toHaveLength(1);
    expect(api.commitImport).not.toHaveBeenCalled();
    queue.destroy();
  });

  it('cancel during a review discards the staged file; a failure names the file and the queue goes on', async () => {
    const stages = stagesOnDemand();
    const queue = new ImportQueueState(() => undefined);
    queue.add([file('pasted.tsv')], { review: true });
    await settle();
    stages[0]!.answer.resolve(staged('pasted.tsv'));
    await vi.waitFor(() => expect(queue.staged).not.toBeNull());
    queue.cancel();
    await vi.waitFor(() => expect(queue.items[0]?.status).toBe('cancelled'));
    expect(api.discardImport).toHaveBeenCalledWith(stages[0]!.importId);
    expect(api.commitImport).not.toHaveBeenCalled();

    queue.add([file('ragged.csv')]);
    await vi.waitFor(() => expect(stages).toHaveLength(2));
    stages[1]!.answer.reject(new AppError('ragged-row', 'ragged.csv, line 3: 4 fields where the header has 3'));
    await vi.waitFor(() => expect(queue.items[1]?.status).toBe('failed'));
    expect(queue.items[1]?.message).toBe('ragged.csv, line 3: 4 fields where the header has 3');
    expect(queue.error).toBe('ragged.csv, line 3: 4 fields where the header has 3');
    queue.add([file('fine.csv')]);
    await vi.waitFor(() => expect(stages).toHaveLength(3));
    stages[2]!.answer.resolve(staged('fine.csv'));
    await vi.waitFor(() => expect(queue.items[2]?.status).toBe('stored'));
    queue.destroy();
  });
});
