// SHA-256 as lowercase hex: synchronous (for use inside IndexedDB transactions) and through WebCrypto (for files).
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
