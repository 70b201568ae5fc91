// What this device stores: bytes per dataset, the browser's usage and quota, persistent storage, deleting a version.
import { dataClient } from '../workers-client/data-client.ts';
import { Channel, isStale } from '../workers-client/latest.ts';
import { userMessage } from '../pipeline/errors.ts';
import type { StorageReport, VersionDependents } from '../contracts/data.ts';

export type { StorageReport, VersionDependents };

/** The delete flow of one version: its dependents are listed first, then the person confirms. */
export interface PendingDelete {
  versionId: number;
  label: string;
  dependents: VersionDependents | null;
  busy: boolean;
  error: string | null;
}

/** 'unsupported' when the browser has no StorageManager.persist (e.g. an insecure origin). */
export type Persistence = 'unknown' | 'granted' | 'not granted' | 'unsupported';

export class StorageState {
  #report = $state.raw<StorageReport | null>(null);
  #error = $state<string | null>(null);
  #persistence = $state<Persistence>('unknown');
  #pending = $state<PendingDelete | null>(null);
  /** A newer report supersedes one still on its way. */
  #reports = new Channel('storage report');

  get report(): StorageReport | null {
    return this.#report;
  }
  get error(): string | null {
    return this.#error;
  }
  get persistence(): Persistence {
    return this.#persistence;
  }
  get pendingDelete(): PendingDelete | null {
    return this.#pending;
  }

  async refresh(): Promise<void> {
    try {
      this.#report = await this.#reports.latest(() => dataClient().storageReport());
      this.#error = null;
    } catch (error) {
      if (!isStale(error)) this.#error = userMessage(error);
    }
  }

  /** Reads whether storage is already persistent, without asking for it. */
  async check(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist) this.#persistence = 'unsupported';
    else if (await storage.persisted?.().catch(() => false)) this.#persistence = 'granted';
  }

  /**
   * Asks the browser to keep this origin's data under storage pressure. Must run on the main thread
   * (workers have no `persist`). Headless Chromium answers false; both answers are shown.
   */
  async requestPersistence(): Promise<void> {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist) {
      this.#persistence = 'unsupported';
      return;
    }
    try {
      const granted = (await storage.persisted?.()) || (await storage.persist());
      this.#persistence = granted ? 'granted' : 'not granted';
    } catch {
      this.#persistence = 'not granted';
    }
  }

  /** Starts deleting a version: lists what depends on it before anything is removed. */
  async askDelete(versionId: number, label: string): Promise<void> {
    this.#pending = { versionId, label, dependents: null, busy: true, error: null };
    try {
      const dependents = await dataClient().versionDependents(versionId);
      if (this.#pending?.versionId === versionId) this.#pending = { ...this.#pending, dependents, busy: false };
    } catch (error) {
      if (this.#pending?.versionId === versionId) this.#pending = { ...this.#pending, busy: false, error: userMessage(error) };
    }
  }

  /** Deletes the pending version; the store refuses when something depends on it, and that message is shown. */
  async confirmDelete(): Promise<boolean> {
    const pending = this.#pending;
    if (!pending || pending.busy) return false;
    this.#pending = { ...pending, busy: true, error: null };
    try {
      await dataClient().deleteVersion(pending.versionId);
      this.#pending = null;
      void this.refresh();
      return true;
    } catch (error) {
      if (this.#pending?.versionId === pending.versionId) this.#pending = { ...pending, busy: false, error: userMessage(error) };
      return false;
    }
  }

  cancelDelete(): void {
    this.#pending = null;
  }

  destroy(): void {
    this.#reports.supersede();
    this.#pending = null;
  }
}

/** True when a version is used by later versions, runs or models (the store will refuse to delete it). */
export function hasDependents(d: VersionDependents): boolean {
  return d.childVersions.length > 0 || d.runs.length > 0 || d.models.length > 0;
}
