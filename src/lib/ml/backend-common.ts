// Shared steps of backend choice for the browser and Node: try a TF.js backend and report what happened.
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../contracts/training.ts';

/** The backends a person can ask for; 'auto' lets the environment decide. */
export type BackendPreference = 'auto' | 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** Switches TF.js to `name` and waits until it is ready; false when it cannot start here. */
export async function trySetBackend(name: string): Promise<boolean> {
  if (!tf.findBackendFactory(name)) return false;
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Settings that hold on every backend: no multithreaded WASM (see docs/design.md), no TF.js console chatter. */
export function configureTf(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.env().set('PROD', true);
}

/** Tries each candidate in order and returns the first that starts, with the reasons joined up. */
export async function firstWorking(
  candidates: { backend: string; reason: string }[],
  skipped: string[],
): Promise<BackendInfo> {
  const notes = [...skipped];
  for (const candidate of candidates) {
    if (await trySetBackend(candidate.backend)) {
      return { backend: candidate.backend, reason: [...notes, candidate.reason].join('; ') };
    }
    notes.push(`${candidate.backend} failed to start`);
  }
  throw new Error(`No TF.js backend could start (${notes.join('; ')})`);
}
