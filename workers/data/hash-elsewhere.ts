// Hashes an import's file in a Worker of its own (the other core) while the data worker parses it.
import type { HashElsewhere } from '../../src/lib/pipeline/read-source.ts';
import type { HashReply, HashRequest } from '../hash.worker.ts';

/**
 * A HashElsewhere that starts one Worker per file and ends it when the digest is in (or the read stops); null
 * where Workers cannot be started (Node, tests): the file is then hashed in the reading thread.
 */
export function hashOnOtherCore(): HashElsewhere | null {
  if (typeof Worker === 'undefined') return null;
  return (blob) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('../hash.worker.ts', import.meta.url), { type: 'module', name: 'file-hash' });
    } catch {
      return null;
    }
    const digest = new Promise<string | null>((resolve) => {
      worker.onmessage = (event: MessageEvent<HashReply>) => resolve('hex' in event.data ? event.data.hex : null);
      worker.onerror = (event) => {
        event.preventDefault();
        resolve(null);
      };
    });
    // Streamed through the JS hash into one reused buffer: WebCrypto would need the whole file read into fresh memory
    // and copied once more, and those page faults hold up the parse's own (one process; measured in docs/design.md).
    worker.postMessage({ blob, webCryptoMaxBytes: 0 } satisfies HashRequest);
    return { digest, stop: () => worker.terminate() };
  };
}
