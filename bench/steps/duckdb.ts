// The DuckDB-WASM peer of the import: the CSV File read into a DuckDB table (read_csv_auto) in DuckDB's own worker, its wasm served by the bench build.
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';

let instance: Promise<duckdb.AsyncDuckDB> | undefined;

/** One DuckDB-WASM instance per bench worker (its start-up is not timed: call it in setup). */
export function duckDb(): Promise<duckdb.AsyncDuckDB> {
  instance ??= (async () => {
    const bundle = await duckdb.selectBundle({ mvp: { mainModule: mvpWasm, mainWorker: mvpWorker }, eh: { mainModule: ehWasm, mainWorker: ehWorker } });
    if (!bundle.mainWorker) throw new Error('bench: DuckDB-WASM has no worker script for this browser');
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    return db;
  })();
  return instance;
}

/**
 * DuckDB-WASM reading `file` into a new table, as a person would load a CSV into it: the File handed over as is
 * (DuckDB reads it through a FileReader), `CREATE TABLE … AS SELECT * FROM read_csv_auto(…)`, the table dropped
 * afterwards. Returns the table's row count.
 */
export async function duckLoadCsv(file: File): Promise<number> {
  const db = await duckDb();
  const name = `bench-${Date.now()}.csv`;
  await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  const conn = await db.connect();
  try {
    await conn.query(`CREATE TABLE loaded AS SELECT * FROM read_csv_auto('${name}')`);
    const counted = await conn.query('SELECT count(*)::INTEGER AS n FROM loaded');
    return Number(counted.toArray()[0]?.n);
  } finally {
    await conn.query('DROP TABLE IF EXISTS loaded');
    await conn.close();
    await db.dropFile(name);
  }
}
