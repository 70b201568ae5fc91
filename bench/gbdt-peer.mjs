// The train-gbdt step's peer, run from bench/run.mjs in Node: scikit-learn's HistGradientBoostingClassifier on one
// thread (bench/steps/gbdt-peer.py) when Debian's /usr/bin/python3 has scikit-learn; otherwise the step says so.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whether /usr/bin/python3 imports scikit-learn, and its version. */
function sklearnVersion() {
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

/**
 * Adds the page's AUC check to the step's targets and, with `peer`, runs scikit-learn `reps` times on the same CSV
 * (after our runs, not between them: the peer is another process) and records its fit time as the peer's time.
 */
export function addGbdtPeer(step, { root, csvPath, reps, peer, log }) {
  if (step.aucTarget) step.targets.push({ label: `${step.aucTarget.label} (${step.auc})`, pass: step.aucTarget.pass });
  if (!peer) return step;
  const version = sklearnVersion();
  if (!version) {
    step.peerNote = `no peer: ${PYTHON} lacks scikit-learn (apt-get install -y python3-sklearn)`;
    log(`train-gbdt: ${step.peerNote}`);
    return step;
  }
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const run = spawnSync(PYTHON, [join(root, 'bench/steps/gbdt-peer.py'), csvPath], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0) throw new Error(`bench: gbdt-peer.py failed: ${run.stderr.slice(-500)}`);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1));
    runs.push(out);
    log(`train-gbdt: peer scikit-learn ${version} ${i + 1}/${reps} fit ${(out.fitSeconds * 1000).toFixed(0)} ms, AUC ${out.auc.toFixed(4)}, ${(out.rowsPerSecond / 1e6).toFixed(2)}M rows/s`);
  }
  const peerRunsMs = runs.map((r) => Math.round(r.fitSeconds * 10000) / 10);
  step.peer = `scikit-learn ${version} HistGradientBoostingClassifier, 1 thread (fit only)`;
  step.peerRunsMs = peerRunsMs;
  step.peerMedianMs = median(peerRunsMs);
  step.peerMinMs = Math.min(...peerRunsMs);
  step.speedup = Math.round((step.peerMedianMs / step.medianMs) * 100) / 100;
  step.peerAuc = Math.round(median(runs.map((r) => r.auc)) * 10000) / 10000;
  step.peerScoringRowsPerSecond = Math.round(median(runs.map((r) => r.rowsPerSecond)));
  step.peerTrainRows = runs[0].trainRows;
  return step;
}
