// The opt-in `stream-1gb` bench step: a ~1 GB CSV imported through the built studio's file input while the
// memory (RSS) of every browser process is sampled; the peak rise is compared with the table's size in memory.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { waitForGrid, withStudio } from './studio.mjs';

const BIG_ROWS = 9_000_000;
const PAGE_BYTES = 4096;

/** Ids of every process started (directly or not) by this Node process: the browser and its children. */
function descendants(root) {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(root);
  return [...found];
}

/** Resident bytes of the browser's processes (Linux /proc). */
function browserRss() {
  let pages = 0;
  for (const pid of descendants(process.pid)) {
    try {
      pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // Gone.
    }
  }
  return pages * PAGE_BYTES;
}

function ensureBigFile(root, log) {
  const path = join(root, 'bench/out/big.csv');
  if (existsSync(path) && statSync(path).size > 900e6) return path;
  log(`stream-1gb: generating ${BIG_ROWS.toLocaleString('en-US')} rows (about 1 GB)…`);
  const partial = `${path}.${process.pid}.part`;
  const run = spawnSync(process.execPath, [join(root, 'bench/generate-table.mjs'), '--rows', String(BIG_ROWS), '--seed', '2', '--out', partial], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('bench: generate-table.mjs failed for the 1 GB file');
  renameSync(partial, path);
  return path;
}

/**
 * Sum of the stored Arrow chunk sizes, and the bytes of the version's columns in memory (8 a number, 4 a string
 * code), read with the raw IndexedDB API in the page.
 */
function storedBytes() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('millrace');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['chunks', 'versions'], 'readonly');
      const chunks = tx.objectStore('chunks').getAll();
      const versions = tx.objectStore('versions').getAll();
      tx.onerror = () => reject(tx.error);
      tx.oncomplete = () => {
        const arrow = chunks.result.reduce((sum, chunk) => sum + chunk.blob.size, 0);
        const table = versions.result.reduce(
          (sum, v) => sum + v.rows * v.schema.reduce((row, field) => row + (field.type === 'category' || field.type === 'text' ? 4 : 8), 0),
          0,
        );
        resolve({ arrow, table });
      };
    };
  });
}

export async function streamMemory({ root, port, browser, log }) {
  const path = ensureBigFile(root, log);
  const fileBytes = statSync(path).size;
  return withStudio({ root, port, browser, log, step: 'stream-1gb' }, async (page) => {
    await page.waitForTimeout(1000);
    const baseline = browserRss();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, browserRss());
    }, 50);
    const started = performance.now();
    let ms;
    try {
      await page.getByTestId('file-input').setInputFiles(path);
      await waitForGrid(page, BIG_ROWS);
      ms = performance.now() - started;
    } finally {
      clearInterval(sampler);
    }
    const { arrow: stored, table } = await page.evaluate(storedBytes);
    const rise = peak - baseline;
    // The yardstick is the table's size in memory: the stored Arrow was that size until numbers were stored in
    // their narrowest exact type (2026-12-05), and is now about a third of it.
    const ratio = rise / table;
    log(`stream-1gb: ${(fileBytes / 1e9).toFixed(2)} GB imported in ${(ms / 1000).toFixed(1)} s; browser RSS ${(baseline / 1e6).toFixed(0)} MB → peak ${(peak / 1e6).toFixed(0)} MB (rise ${(rise / 1e6).toFixed(0)} MB); table in memory ${(table / 1e6).toFixed(0)} MB, stored Arrow ${(stored / 1e6).toFixed(0)} MB; rise/table ${ratio.toFixed(2)}×, rise/stored ${(rise / stored).toFixed(2)}×`);
    return {
      name: 'stream-1gb',
      description: `a ${(fileBytes / 1e9).toFixed(2)} GB CSV (${BIG_ROWS.toLocaleString('en-US')} rows) chosen in the studio and streamed into a stored version; browser processes' RSS sampled every 50 ms`,
      medianMs: ms,
      runsMs: [ms],
      minMs: ms,
      peer: null,
      peerMedianMs: null,
      peerMinMs: null,
      peerRunsMs: [],
      speedup: null,
      targets: [{ label: "peak RSS rise ≤ 3× the table's size in memory", pass: ratio <= 3 }],
      fileBytes,
      storedBytes: stored,
      tableBytes: table,
      baselineRssBytes: baseline,
      peakRssBytes: peak,
      peakRiseOverTable: ratio,
      peakRiseOverStored: rise / stored,
    };
  });
}
