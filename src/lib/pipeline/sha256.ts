// SHA-256 as lowercase hex: synchronous (for use inside IndexedDB transactions), through WebCrypto (for files) and of a Blob.
import { blobPieces } from './blob-pieces.ts';
import { createSha256 } from './sha256-stream.ts';

const encoder = new TextEncoder();

/**
 * Synchronous SHA-256 in plain JavaScript. Needed where awaiting WebCrypto would end an IndexedDB
 * transaction early (the audit chain computes its entry inside the transaction that appends it).
 * @example sha256Hex('abc') // 'ba7816bf…'
 */
export function sha256Hex(data: Uint8Array | string): string {
  const hash = createSha256();
  hash.update(typeof data === 'string' ? encoder.encode(data) : data);
  return hash.hex();
}

/** SHA-256 of file content through WebCrypto (fast, asynchronous), as 64 lowercase hex digits. */
export async function sha256File(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let out = '';
  for (const byte of new Uint8Array(digest)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Files up to this size are hashed by WebCrypto over their whole bytes; larger ones stream through the JS hash. */
export const WEBCRYPTO_HASH_MAX_BYTES = 512 * 1024 * 1024;

/**
 * SHA-256 of a Blob's bytes: read whole and hashed by WebCrypto up to `webCryptoMaxBytes` (about 5× faster, but
 * holds the bytes), streamed through the JS hash above it (memory stays at one piece). The same digest either way.
 */
export async function sha256Blob(blob: Blob, webCryptoMaxBytes = WEBCRYPTO_HASH_MAX_BYTES): Promise<string> {
  if (blob.size <= webCryptoMaxBytes) return sha256File(new Uint8Array(await blob.arrayBuffer()));
  const hash = createSha256();
  for await (const piece of blobPieces(blob)) hash.update(piece);
  return hash.hex();
}
