// The file-hash Worker: the SHA-256 of an import's file on the other core while the data worker parses it (a thin shell around sha256Blob).
import { sha256Blob } from '../src/lib/pipeline/sha256.ts';

/** A request: the file (a Blob is passed by reference, not copied) and the largest size read whole. */
export interface HashRequest {
  blob: Blob;
  webCryptoMaxBytes?: number;
}

/** The reply: the digest as 64 hex digits, or why it failed. */
export type HashReply = { hex: string } | { error: string };

self.onmessage = async (event: MessageEvent<HashRequest>) => {
  try {
    self.postMessage({ hex: await sha256Blob(event.data.blob, event.data.webCryptoMaxBytes) } satisfies HashReply);
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies HashReply);
  }
};
