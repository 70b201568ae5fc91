// The benchmark steps. Each is one defineStep call: setup (untimed), our run, the peer's run on the same
// input, and an instrumented breakdown. Add a step (quality-suite, pii-scan, recipe, train-epoch, score,
// features, review, …) by adding one function here and listing it in `registerSteps`.
import * as aq from 'arquero';
import { tableFromIPC } from '@uwdata/flechette';
import { dataApi } from '../workers/data.worker.ts';
import { tableSchema, tableToChunks, tableFromChunks } from '../src/lib/pipeline/arrow-codec.ts';
import { createCsvStream } from '../src/lib/pipeline/csv-stream.ts';
import { parseCsvDetailed } from '../src/lib/pipeline/parse-csv.ts';
import { parseFile } from '../src/lib/pipeline/parse.ts';
import { profileColumn, profileTable } from '../src/lib/pipeline/profile.ts';
import { sha256File } from '../src/lib/pipeline/sha256.ts';
import { createSha256 } from '../src/lib/pipeline/sha256-stream.ts';
import { isStringColumn } from '../src/lib/pipeline/table.ts';
import type { DataTable, DatasetProfile } from '../src/lib/pipeline/types.ts';
import { bytesToBlob, chunkBlobs, chunkBytes } from '../src/lib/store/chunk-blob.ts';
import { findVersionBySha256, getVersion, loadVersionTable, saveImport } from '../src/lib/store/datasets.ts';
import { keyRangeOf, openDb } from '../src/lib/store/db.ts';
import { defineStep, type StepContext } from './harness.ts';
import { registerMlSteps } from './steps/ml.ts';
import { registerCleaningSteps } from './steps/cleaning.ts';
import { registerQualitySteps } from './steps/quality-suite.ts';
import { registerReviewStep } from './steps/review.ts';
import { registerScoreFileStep } from './steps/score-file.ts';
import { registerDriftStep } from './steps/drift.ts';
import { registerMonitorStep } from './steps/monitor.ts';
import { registerGbdtStep } from './steps/gbdt.ts';
import { registerSharedColumnsStep } from './steps/shared-columns.ts';
import { duckDb, duckLoadCsv } from './steps/duckdb.ts';
import { readSplitDetailed } from '../src/lib/pipeline/score-read.ts';
import { prepareHelper, workerHelper } from '../src/lib/ml/score-helper.ts';
import { readSource } from '../src/lib/pipeline/read-source.ts';
import { blobPieces } from '../src/lib/pipeline/blob-pieces.ts';
import { hashOnOtherCore } from '../workers/data/hash-elsewhere.ts';

const FILE_NAME = 'reference.csv';
const EXPECTED_ROWS = 1_000_000;
/** The piece size the import's streamed read parses and hashes at a time (SLICE_BYTES in src/lib/pipeline/read-source.ts). */
const PIECE = 1 << 20;

/** Empties the studio's database; the connection reopens on next use. */
async function emptyDatabase(): Promise<void> {
  await openDb().delete({ disableAutoOpen: false });
}

/** The version id of the reference CSV, importing it (through the real import) if it is not stored. */
async function storedVersion(ctx: StepContext): Promise<number> {
  const result = await dataApi.importFile({ name: FILE_NAME, data: await ctx.csvFile() });
  if (result.rows !== EXPECTED_ROWS) throw new Error(`bench: stored version has ${result.rows} rows`);
  return result.duplicateOf ?? result.versionId;
}

function checkRows(rows: number, what: string): void {
  if (rows !== EXPECTED_ROWS) throw new Error(`bench: ${what} gave ${rows} rows, expected ${EXPECTED_ROWS}`);
}

// ---------------------------------------------------------------------------------------------------------

/** One pass of indexOf(10) over the bytes: the line count, as fast as the machine finds newlines (the parse's bound). */
function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines++;
  return lines;
}

const OUR_PARSE = 'parse: streamed (csv-stream.ts)';

function ingestCsv(): void {
  defineStep<{ file: File; text: string }>({
    name: 'ingest-csv',
    description: 'the 100 MB CSV File → a stored dataset version via dataApi.importFile (streamed read + JS sha256 + parse, lookup, profile, Arrow chunks, one Dexie transaction)',
    peer: 'DuckDB-WASM 1.32: the same File into a table (CREATE TABLE … AS SELECT * FROM read_csv_auto)',
    reps: 5,
    peerReps: 3,
    targets: [{ kind: 'minSpeedup', factor: 2 }],
    ratioTargets: [{ part: 'whole importFile', over: OUR_PARSE, max: 1.3, label: 'the whole import over our parse of the same file' }],
    async setup(ctx) {
      await duckDb();
      return { file: await ctx.csvFile(), text: await ctx.csvText() };
    },
    beforeEach: emptyDatabase,
    async run({ file }) {
      const result = await dataApi.importFile({ name: FILE_NAME, data: file });
      if (result.duplicateOf !== undefined) throw new Error('bench: the import found a duplicate; the database was not emptied');
      checkRows(result.rows, 'importFile');
    },
    async peerRun({ file }) {
      checkRows(await duckLoadCsv(file), 'DuckDB-WASM read_csv_auto');
    },
    peerComparablePart: OUR_PARSE,
    async breakdown({ file, text }, _ctx, time) {
      // The whole import, split by its progress reports (phase changes are reported synchronously) on the
      // real code path; then the database is emptied again.
      const firstMark = new Map<string, number>();
      const t0 = performance.now();
      await time('whole importFile', () =>
        dataApi.importFile({ name: FILE_NAME, data: file }, ({ phase }) => {
          if (!firstMark.has(phase)) firstMark.set(phase, performance.now());
        }),
      );
      const phases: [string, string, string][] = [
        ['reading', 'parsing', 'importFile: stream read + sha256 + parse'],
        ['parsing', 'storing', 'importFile: lookup + stage'],
        ['storing', 'checking', 'importFile: profile + arrow-encode + idb-write, overlapped'],
        ['checking', 'done', 'importFile: checks of the new version'],
      ];
      for (const [from, to, label] of phases) {
        const start = from === 'reading' ? t0 : firstMark.get(from);
        const end = firstMark.get(to);
        if (start !== undefined && end !== undefined) time.record(label, end - start);
      }
      await emptyDatabase();
      // The import's read alone: the File streamed through the parse in one pass (its hash replaced by a constant),
      // and the hash alone, in its Worker.
      const noHash = () => ({ digest: Promise.resolve('-'), stop: () => undefined });
      const control = { cancelled: () => false, onBytes: () => undefined };
      await time('read: File.stream() through the parse, one pass (readSource, no hash)', () => readSource({ name: FILE_NAME, blob: file }, {}, control, { hashElsewhere: noHash }));
      await time('sha256: the File in a Worker (hash.worker.ts)', async () => {
        const hashing = hashOnOtherCore()?.(file);
        if (!hashing) throw new Error('bench: no hash Worker');
        try {
          if ((await hashing.digest) === null) throw new Error('bench: the hash Worker failed');
        } finally {
          hashing.stop();
        }
      });
      // The parts of the streamed read, each alone over the same 1 MiB pieces the import uses.
      const bytes = await time('read: blob.arrayBuffer', async () => new Uint8Array(await file.arrayBuffer()));
      await time('read: blob.stream', async () => {
        const reader = file.stream().getReader();
        while (!(await reader.read()).done);
      });
      await time('read: blobPieces (the import\'s 1 MiB byte-stream pieces, no parse)', async () => {
        for await (const piece of blobPieces(file, PIECE)) if (piece.length === 0) throw new Error('bench: an empty piece');
      });
      await time('read + parse: blobPieces into createCsvStream (no readSource)', async () => {
        const stream = createCsvStream(FILE_NAME, { totalBytes: file.size });
        for await (const piece of blobPieces(file, PIECE)) stream.push(piece);
        checkRows(stream.finish().rowCount, 'blobPieces + createCsvStream');
      });
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += PIECE) pieces.push(bytes.subarray(at, Math.min(bytes.length, at + PIECE)));
      const sha256 = await time('sha256: streamed, JS (sha256-stream.ts)', () => {
        const hash = createSha256();
        for (const piece of pieces) hash.update(piece);
        return hash.hex();
      });
      await time('sha256: WebCrypto whole file (sha256File)', () => sha256File(bytes));
      await time('dedupe-lookup', () => findVersionBySha256(sha256));
      const parseStart = performance.now();
      const table = await time(OUR_PARSE, () => {
        const stream = createCsvStream(FILE_NAME, { totalBytes: bytes.length });
        for (const piece of pieces) stream.push(piece);
        return stream.finish();
      });
      const parseMs = performance.now() - parseStart;
      // The import's parse of a file read whole: its second half on the other core (a helper Worker, which the
      // import starts while it reads the file: loaded here before the timing).
      await prepareHelper();
      await time('parse: two halves, the second in a helper Worker', async () => {
        const helper = workerHelper();
        try {
          const read = await readSplitDetailed(bytes, FILE_NAME, {}, {}, helper?.parse ?? null);
          if (typeof read === 'string') throw new Error(`bench: the file was not read in two halves (${read})`);
          checkRows(read.table.rowCount, 'readSplitDetailed');
        } finally {
          helper?.close();
        }
      });
      // The machine's bound for a parse: one pass of indexOf(10) over the same bytes; and the second peer, arquero's parse.
      const lineStart = performance.now();
      await time('bound: one indexOf(10) pass over the bytes', () => countLines(bytes));
      time.record('parse ÷ one indexOf(10) pass (×)', parseMs / (performance.now() - lineStart));
      await time('peer 2: arquero fromCSV (parse only, from text)', () => checkRows(aq.fromCSV(text).numRows(), 'arquero fromCSV'));
      await time('parse: whole text (parseFile)', () => parseFile(bytes, FILE_NAME));
      const decoded = await time('parse: whole text: decode-utf8', () => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      await time('parse: whole text: csv', () => parseCsvDetailed(decoded, FILE_NAME));
      const profile = await time('profile', () => profileTable(table));
      const chunks = await time('arrow-encode', () => tableToChunks(table));
      await time('idb-write: make blobs', () => chunks.map(bytesToBlob));
      await time('arrow-encode + make blobs from the writer\'s pieces (chunkBlobs)', () => [...chunkBlobs(table)]);
      await time('idb-write', () =>
        saveImport({ fileName: FILE_NAME, sha256, chunks, schema: tableSchema(table), profile, rows: table.rowCount }),
      );
    },
  });
}

// ---------------------------------------------------------------------------------------------------------

function parseCsvStep(): void {
  defineStep<{ bytes: Uint8Array; text: string }>({
    name: 'parse-csv',
    description: "the parse part of ingest alone, as the import does it: csv-stream.ts fed 1 MiB pieces of the file's bytes",
    peer: 'arquero fromCSV',
    reps: 5,
    peerReps: 3,
    async setup(ctx) {
      const file = await ctx.csvFile();
      return { bytes: new Uint8Array(await file.arrayBuffer()), text: await ctx.csvText() };
    },
    async run({ bytes }) {
      const stream = createCsvStream(FILE_NAME, { totalBytes: bytes.length });
      for (let at = 0; at < bytes.length; at += PIECE) stream.push(bytes.subarray(at, Math.min(bytes.length, at + PIECE)));
      checkRows(stream.finish().rowCount, 'createCsvStream');
    },
    async peerRun({ text }) {
      checkRows(aq.fromCSV(text).numRows(), 'arquero fromCSV');
    },
    async breakdown({ bytes }, _ctx, time) {
      await time('whole text: parseFile', () => parseFile(bytes, FILE_NAME));
      const text = await time('whole text: decode-utf8', () => new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      await time('whole text: csv', () => parseCsvDetailed(text, FILE_NAME));
    },
  });
}

// ---------------------------------------------------------------------------------------------------------

/** Reads a version's chunk bytes the way loadVersionTable does. */
async function readChunkBytes(versionId: number): Promise<Uint8Array[]> {
  const chunks = await openDb().chunks.where('[versionId+index]').between(...keyRangeOf(versionId)).toArray();
  return Promise.all(chunks.map(chunkBytes));
}

function loadVersion(): void {
  defineStep<{ versionId: number }>({
    name: 'load-version',
    description: 'a stored version → DataTable in memory (IndexedDB read + Arrow decode) via loadVersionTable',
    peer: 'IndexedDB read + arquero fromArrow (per chunk) + concat',
    reps: 5,
    peerReps: 5,
    targets: [{ kind: 'maxMs', ms: 500 }, { kind: 'minSpeedup', factor: 3 }],
    async setup(ctx) {
      return { versionId: await storedVersion(ctx) };
    },
    async run({ versionId }) {
      checkRows((await loadVersionTable(versionId)).rowCount, 'loadVersionTable');
    },
    async peerRun({ versionId }) {
      const bytes = await readChunkBytes(versionId);
      // Dates as numbers, as our table holds them (arquero's default makes a Date object per date32 value).
      const [first, ...rest] = bytes.map((b) => aq.fromArrow(b, { useDate: false }));
      if (!first) throw new Error('bench: no chunks');
      checkRows(first.concat(...rest).numRows(), 'arquero fromArrow');
    },
    async breakdown({ versionId }, _ctx, time) {
      const version = await time('get-version', () => getVersion(versionId));
      const records = await time('idb-read', () =>
        openDb().chunks.where('[versionId+index]').between(...keyRangeOf(versionId)).toArray(),
      );
      const bytes = await time('blob-bytes', () => Promise.all(records.map(chunkBytes)));
      await time('arrow-decode', () => tableFromChunks(bytes, version.schema));
      await time('arrow-decode.flechette-tableFromIPC', () => bytes.map((b) => tableFromIPC(b)));
    },
  });
}

// ---------------------------------------------------------------------------------------------------------

/** An arquero table holding the same data: numbers as Float64Array (NaN missing), strings as string|null. */
export function arqueroTableOf(table: DataTable): aq.ColumnTable {
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const column of table.columns) {
    if (isStringColumn(column)) {
      const out = new Array<string | null>(table.rowCount);
      for (let i = 0; i < table.rowCount; i++) {
        const code = column.codes[i] as number;
        out[i] = code < 0 ? null : (column.levels[code] as string);
      }
      columns[column.name] = out;
    } else {
      columns[column.name] = column.values;
    }
  }
  return aq.table(columns);
}

interface ArqueroProfile {
  stats: Record<string, unknown>;
  histograms: Record<string, unknown[]>;
  top: Record<string, unknown[]>;
}

/** The profile's statistics through arquero verbs: one rollup, then a groupby per histogram / top-values. */
function arqueroProfile(t: aq.ColumnTable, table: DataTable): ArqueroProfile {
  const exprs: Record<string, string> = { rows: 'd => op.count()' };
  const numeric: string[] = [];
  const strings: string[] = [];
  for (const column of table.columns) {
    const c = JSON.stringify(column.name);
    exprs[`${column.name}:missing`] = `d => op.invalid(d[${c}])`;
    exprs[`${column.name}:distinct`] = `d => op.distinct(d[${c}])`;
    if (isStringColumn(column)) {
      strings.push(column.name);
      continue;
    }
    numeric.push(column.name);
    for (const stat of ['min', 'max', 'mean', 'stdev']) exprs[`${column.name}:${stat}`] = `d => op.${stat}(d[${c}])`;
  }
  const stats = t.rollup(exprs).object() as Record<string, unknown>;
  const histograms: Record<string, unknown[]> = {};
  for (const name of numeric) {
    const min = stats[`${name}:min`] as number;
    const max = stats[`${name}:max`] as number;
    const step = (max - min) / 20 || 1;
    const bin = `d => op.bin(d[${JSON.stringify(name)}], ${min}, ${max}, ${step})`;
    histograms[name] = t.groupby({ bin }).count().orderby('bin').objects();
  }
  const top: Record<string, unknown[]> = {};
  for (const name of strings) top[name] = t.groupby(name).count().orderby(aq.desc('count')).slice(0, 10).objects();
  return { stats, histograms, top };
}

/** Columns where arquero and profileTable disagree on missing, distinct or mean (a sanity check of both). */
function disagreements(ours: DatasetProfile, theirs: ArqueroProfile): string[] {
  const out: string[] = [];
  for (const column of ours.columns) {
    const missing = theirs.stats[`${column.name}:missing`] as number;
    // arquero counts "missing" as one more distinct value.
    const distinct = (theirs.stats[`${column.name}:distinct`] as number) - (missing > 0 ? 1 : 0);
    if (missing !== column.missing) out.push(`${column.name}: missing ${column.missing} vs ${missing}`);
    if (distinct !== column.distinct) out.push(`${column.name}: distinct ${column.distinct} vs ${distinct}`);
    const mean = theirs.stats[`${column.name}:mean`];
    if (column.mean !== undefined && typeof mean === 'number' && Math.abs(mean - column.mean) > 1e-9 * Math.max(1, Math.abs(mean))) {
      out.push(`${column.name}: mean ${column.mean} vs ${mean}`);
    }
  }
  return out;
}

function profile(): void {
  defineStep<{ table: DataTable; arquero: aq.ColumnTable; lastPeer?: ArqueroProfile }>({
    name: 'profile',
    description: 'profileTable on the loaded 1M × 16 table (missing, distinct, min/max/mean/std, 20-bin histograms, top values)',
    peer: 'arquero rollup + groupby histograms',
    reps: 5,
    peerReps: 3,
    targets: [{ kind: 'maxMs', ms: 500 }],
    async setup(ctx) {
      const table = await loadVersionTable(await storedVersion(ctx));
      return { table, arquero: arqueroTableOf(table) };
    },
    async run({ table }) {
      checkRows(profileTable(table).rows, 'profileTable');
    },
    async peerRun(state) {
      state.lastPeer = arqueroProfile(state.arquero, state.table);
      checkRows(state.lastPeer.stats.rows as number, 'arquero rollup');
    },
    async breakdown({ table }, _ctx, time) {
      for (const column of table.columns) {
        await time(`${column.type}:${column.name}`, () => profileColumn(column, table.rowCount));
      }
    },
    breakdownReps: 3,
    async extra({ table, arquero, lastPeer }) {
      return { disagreements: disagreements(profileTable(table), lastPeer ?? arqueroProfile(arquero, table)) };
    },
  });
}

/** Registers every step, in the order `npm run bench` runs them. */
export function registerSteps(): void {
  ingestCsv();
  parseCsvStep();
  loadVersion();
  profile();
  registerMlSteps(); // features, train-epoch, score
  registerCleaningSteps(); // pii-scan, recipe
  registerQualitySteps(); // quality-suite
  registerReviewStep(); // review (reviewRun on the 198k test rows, IG of one row)
  registerScoreFileStep(); // score-file (1M-row CSV bytes → scored CSV bytes with the benchmark model)
  registerDriftStep(); // drift (the 1M-row table's sketch against the shifted 1M-row file, every figure)
  registerMonitorStep(); // monitor (a 100k-row batch against the benchmark model's reference)
  registerGbdtStep(); // train-gbdt (100 rounds of histogram boosted trees on 792k rows; peer: scikit-learn from run.mjs)
  registerSharedColumnsStep(); // shared-columns (an experiment; only with MILLRACE_ISOLATED=1)
}
