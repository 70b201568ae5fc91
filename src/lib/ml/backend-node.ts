// Backend choice in Node (CLI, unit tests): WASM with the binaries read from node_modules, else CPU.
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendInfo } from '../contracts/training.ts';
import { configureTf, firstWorking, type BackendPreference } from './backend-common.ts';

let wasmConfigured = false;

function configureWasm(): void {
  if (wasmConfigured) return;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  // Emscripten reads a filesystem prefix with fs in Node, so no fetch is involved.
  setWasmPaths(join(dirname(pkg), 'dist') + '/');
  wasmConfigured = true;
}

/**
 * Picks and starts a TF.js backend in Node. 'auto' and 'wasm' use WASM (SIMD when available) and fall back
 * to CPU; 'webgpu' and 'webgl' do not exist in Node and also fall back, saying so in `reason`.
 */
export async function chooseBackend(preferred: BackendPreference = 'auto'): Promise<BackendInfo> {
  configureTf();
  configureWasm();
  if (preferred === 'cpu') return firstWorking([{ backend: 'cpu', reason: 'CPU requested' }], []);
  const skipped =
    preferred === 'webgpu' || preferred === 'webgl' ? [`${preferred} is not available in Node`] : [];
  return firstWorking(
    [
      { backend: 'wasm', reason: preferred === 'wasm' ? 'WASM requested' : 'WASM is the fastest backend in Node' },
      { backend: 'cpu', reason: 'using the plain CPU backend' },
    ],
    skipped,
  );
}
