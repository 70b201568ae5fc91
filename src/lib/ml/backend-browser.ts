// Backend choice in the browser (workers, harness): a real WebGPU adapter, else WASM, WebGL, CPU.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendInfo } from '../contracts/training.ts';
import { configureTf, firstWorking, type BackendPreference } from './backend-common.ts';

/** The parts of a WebGPU adapter we look at; typed here so the check does not depend on lib.dom's version. */
interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
}

/** What `navigator.gpu.requestAdapter()` says: absent, a software fallback (SwiftShader) or real hardware. */
export type AdapterKind = 'none' | 'fallback' | 'hardware';

/** Asks for a WebGPU adapter and classifies it, without starting the TF.js backend. */
export async function probeWebGpu(): Promise<{ kind: AdapterKind; detail: string }> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)
    ?.gpu;
  if (!gpu) return { kind: 'none', detail: 'this browser has no WebGPU' };
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { kind: 'none', detail: `requestAdapter failed: ${String(error)}` };
  }
  if (!adapter) return { kind: 'none', detail: 'no WebGPU adapter' };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  const software = /swiftshader|llvmpipe|software/i.test(name);
  if (adapter.isFallbackAdapter || info.isFallbackAdapter || software) {
    return { kind: 'fallback', detail: `WebGPU adapter is a software fallback (${name || 'unnamed'})` };
  }
  return { kind: 'hardware', detail: `WebGPU adapter ${name || 'unnamed'}` };
}

let wasmConfigured = false;

function configureWasm(): void {
  if (wasmConfigured) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  wasmConfigured = true;
}

/**
 * Picks and starts a TF.js backend. 'auto' uses WebGPU only on a real (non-fallback) adapter, else WASM,
 * then WebGL, then CPU. An explicit preference is honoured when it can start, even on a fallback adapter.
 */
export async function chooseBackend(preferred: BackendPreference = 'auto'): Promise<BackendInfo> {
  configureTf();
  configureWasm();
  const rest = [
    { backend: 'wasm', reason: 'using WASM' },
    { backend: 'webgl', reason: 'using WebGL' },
    { backend: 'cpu', reason: 'using the plain CPU backend' },
  ];
  if (preferred === 'auto') {
    const probe = await probeWebGpu();
    if (probe.kind === 'hardware') {
      return firstWorking([{ backend: 'webgpu', reason: `${probe.detail}; using WebGPU` }, ...rest], []);
    }
    return firstWorking(rest, [probe.detail]);
  }
  const others = rest.filter((candidate) => candidate.backend !== preferred);
  if (preferred === 'webgpu') {
    const probe = await probeWebGpu();
    return firstWorking([{ backend: 'webgpu', reason: `WebGPU requested (${probe.detail})` }, ...others], []);
  }
  return firstWorking([{ backend: preferred, reason: `${preferred} requested` }, ...others], []);
}
