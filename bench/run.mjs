#!/usr/bin/env node
// `npm run bench`: generates the seeded 1M × 16 table (bench/out/reference.csv, reused when present),
// builds the bench page (bench/bench.html → bench/out/dist) with a Vite config of its own, serves it on a
// port of its own, runs every step in a Web Worker in headless Chromium, prints medians next to the
// peers' and writes bench/results.json.
// Usage: node bench/run.mjs [--steps ingest-csv,profile] [--reps N] [--no-peer] [--no-breakdown]
//                           [--port N] [--strict]   (--strict: exit 1 when a target is missed)
// Runs may overlap (each takes a free port and a dist folder of its own); with --steps, the other steps'
// last results in bench/results.json are kept.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../bin/chromium-path.mjs';
import { addGbdtPeer } from './gbdt-peer.mjs';
import { previewScroll } from './scroll.mjs';
import { streamMemory } from './stream-memory.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'bench/out');
const csvPath = join(outDir, 'reference.csv');
const resultsPath = join(root, 'bench/results.json');
const ROWS = 1_000_000;
const SEED = 1;

function parseArgs(argv) {
  const options = { steps: undefined, reps: undefined, peer: true, breakdown: true, port: 0, strict: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--steps') options.steps = String(argv[++i]).split(',').filter(Boolean);
    else if (arg === '--reps') options.reps = Number(argv[++i]);
    else if (arg === '--no-peer') options.peer = false;
    else if (arg === '--no-breakdown') options.breakdown = false;
    else if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg === '--strict') options.strict = true;
    else throw new Error(`bench: unknown argument ${arg}`);
  }
  return options;
}

function log(message) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function ensureTable() {
  if (existsSync(csvPath) && statSync(csvPath).size > 50e6) {
    log(`reusing ${relative(root, csvPath)} (${(statSync(csvPath).size / 1e6).toFixed(1)} MB)`);
    return;
  }
  log('generating the 1M × 16 reference table (seed 1)…');
  // Written aside and renamed, so that an overlapping run never reads half a file.
  const partial = `${csvPath}.${process.pid}.part`;
  const run = spawnSync(
    process.execPath,
    [join(root, 'bench/generate-table.mjs'), '--rows', String(ROWS), '--seed', String(SEED), '--out', partial],
    { cwd: root, stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error('bench: generate-table.mjs failed');
  renameSync(partial, csvPath);
}

/** Serves the reference CSV to the page at /__bench/reference.csv. */
function referenceCsvPlugin() {
  // A block body: a hook that returns a function has it called as a post hook.
  const serve = (server) => {
    server.middlewares.use('/__bench/reference.csv', (_req, res) => {
      res.setHeader('Content-Type', 'text/csv');
      res.setHeader('Content-Length', String(statSync(csvPath).size));
      res.setHeader('Cache-Control', 'no-store');
      createReadStream(csvPath).pipe(res);
    });
  };
  return { name: 'millrace-bench-reference-csv', configureServer: serve, configurePreviewServer: serve };
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

function viteConfig(port, distDir) {
  return {
    configFile: false,
    root,
    base: '/',
    cacheDir: 'node_modules/.vite-bench',
    logLevel: 'warn',
    clearScreen: false,
    publicDir: false,
    plugins: [referenceCsvPlugin()],
    worker: { format: 'es' },
    build: {
      outDir: distDir,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: join(root, 'bench/bench.html') },
    },
    preview: {
      port,
      strictPort: true,
      host: '127.0.0.1',
      open: false,
      // MILLRACE_ISOLATED=1 serves the page cross-origin isolated (SharedArrayBuffer available), for experiments.
      ...(process.env.MILLRACE_ISOLATED === '1'
        ? { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } }
        : {}),
    },
  };
}

function seconds(ms) {
  return ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(3)} s`;
}

function printTable(steps) {
  const rows = [['step', 'median', 'min', 'peer', 'peer median', 'peer min', 'peer / ours', 'targets']];
  for (const s of steps) {
    rows.push([
      s.name,
      seconds(s.medianMs),
      seconds(s.minMs),
      s.peer ?? '—',
      seconds(s.peerMedianMs),
      seconds(s.peerMinMs),
      s.speedup === null ? '—' : `${s.speedup.toFixed(2)}×`,
      s.targets.map((t) => `${t.pass ? 'PASS' : 'MISS'} ${t.label}`).join('; ') || '—',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => cell.padEnd(widths[c])).join(' | ');
  console.log('');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows.slice(1)) console.log(line(r));
  for (const s of steps) {
    if (s.runsMs.length > 30) {
      console.log(`\n${s.name}: ${s.runsMs.length} samples`);
      if (s.fillP50Ms !== undefined) {
        console.log(`  frames p50 ${s.frameP50Ms.toFixed(1)} ms, max ${s.frameMaxMs.toFixed(1)} ms, ${s.framesWithPendingRows} with rows still loading; ` +
          `fill after a jump p50 ${s.fillP50Ms.toFixed(1)} ms, p95 ${s.fillP95Ms.toFixed(1)} ms; last row shown ${s.lastRowShown}`);
      }
    }
    else console.log(`\n${s.name}: runs ${s.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms` +
      (s.peerRunsMs.length ? `; peer runs ${s.peerRunsMs.map((ms) => ms.toFixed(0)).join(', ')} ms` : ''));
    if (s.breakdownMs) {
      // A part named "… (×)" is a ratio the step measured within each breakdown run, not a time.
      for (const [part, ms] of Object.entries(s.breakdownMs)) console.log(`  ${part.padEnd(42)} ${ms.toFixed(part.endsWith('(×)') ? 2 : 1).padStart(9)} ${part.endsWith('(×)') ? '×' : 'ms'}`);
    }
    if (s.partSpeedup) {
      console.log(`  ${s.partSpeedup.part} alone: ${seconds(s.partSpeedup.medianMs)}, ${s.partSpeedup.speedup.toFixed(2)}× faster than the peer`);
    }
    if (Array.isArray(s.disagreements) && s.disagreements.length) console.log(`  ours vs peer disagree: ${s.disagreements.join('; ')}`);
  }
  console.log('');
}

/** With --steps, the steps not run keep their last results (so results.json stays a whole table). */
function mergeSteps(steps, partial) {
  if (!partial || !existsSync(resultsPath)) return steps;
  let previous;
  try {
    previous = JSON.parse(readFileSync(resultsPath, 'utf8')).steps ?? [];
  } catch {
    return steps;
  }
  const fresh = new Set(steps.map((s) => s.name));
  return [...previous.filter((s) => !fresh.has(s.name)), ...steps];
}

function loadAverage() {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = loadAverage();
  if (loadBefore[0] > os.cpus().length) {
    log(`warning: load average ${loadBefore[0]} on ${os.cpus().length} cores: other work is running and the timings will be noisy`);
  }
  ensureTable();
  const port = options.port || (await freePort());
  const distDir = join(outDir, `dist-${port}`);
  log(`building the bench page (vite build → ${relative(root, distDir)})…`);
  await build(viteConfig(port, distDir));
  const server = await preview(viteConfig(port, distDir));
  const url = `http://127.0.0.1:${port}/bench/bench.html`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      // gc() before each timed run: no run pays for the garbage of the one before (or of the peer's).
      '--js-flags=--expose-gc',
    ],
  });
  let failed = false;
  const steps = [];
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('[bench] ')) log(text.slice(8));
      else if (message.type() === 'error' || message.type() === 'warning') log(`page ${message.type()}: ${text}`);
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const available = await page.evaluate(() => window.millraceBench.list());
    // preview-scroll drives the built studio from here; the others run in the bench page's worker.
    // stream-1gb (a 1 GB file, minutes) runs only when named in --steps.
    const known = [...available, 'preview-scroll', 'stream-1gb'];
    const names = options.steps ?? known.filter((name) => name !== 'stream-1gb');
    for (const name of names) {
      const hint = process.env.MILLRACE_ISOLATED === '1' ? '' : ' (experiments that need SharedArrayBuffer are listed only with MILLRACE_ISOLATED=1)';
      if (!known.includes(name)) throw new Error(`bench: no step "${name}"${hint}; steps are ${known.join(', ')}`);
    }
    const runOptions = { reps: options.reps, skipPeer: !options.peer, skipBreakdown: !options.breakdown };
    for (const name of names) {
      log(`step ${name}`);
      try {
        if (name === 'stream-1gb') steps.push(await streamMemory({ root, port: await freePort(), browser, log }));
        else if (name === 'preview-scroll') steps.push(await previewScroll({ root, csvPath, port: await freePort(), browser, rows: ROWS, log }));
        else {
          const result = await page.evaluate(([step, opts]) => window.millraceBench.run(step, opts), [name, runOptions]);
          // train-gbdt's peer is scikit-learn in Python, run from here (bench/gbdt-peer.mjs).
          if (name === 'train-gbdt') addGbdtPeer(result, { root, csvPath, reps: options.reps ?? 2, peer: options.peer, log });
          steps.push(result);
        }
      } catch (error) {
        failed = true;
        log(`step ${name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    printTable(steps);
    const results = {
      steps: mergeSteps(steps, options.steps !== undefined),
      meta: {
        date: new Date().toISOString(),
        rows: ROWS,
        csvBytes: statSync(csvPath).size,
        browser: userAgent,
        node: process.version,
        cores: os.cpus().length,
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadAverage(),
        totalSeconds: Math.round((Date.now() - started) / 100) / 10,
      },
    };
    writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
    log(`wrote ${relative(root, resultsPath)} in ${results.meta.totalSeconds} s total (load average before ${loadBefore[0]}, after ${results.meta.loadAverageAfter[0]})`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(distDir, { recursive: true, force: true });
  }
  const missed = steps.flatMap((s) => s.targets.filter((t) => !t.pass).map((t) => `${s.name} ${t.label}`));
  if (missed.length) log(`missed: ${missed.join(', ')}`);
  if (failed || (options.strict && missed.length)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
