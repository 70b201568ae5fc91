// numpy's legacy RandomState generator (MT19937) in bulk, for the review's many draws: bootstrap resamples and shuffles.
/** MT19937's state size and middle word (numpy-random.ts has the same generator, one output at a time). */
const MT_N = 624;
const MT_M = 397;

/**
 * MT19937 as numpy's `RandomState(seed)` seeds it (`init_genrand`), producing its tempered outputs 624 at a time into
 * an Int32Array (the same bits as `NumpyRandomState.nextUint32()`, read as signed): in bulk, and in int32 arithmetic
 * that V8 keeps unboxed, about 4× faster per output than one call per output.
 */
export class Mt19937Block {
  readonly #key = new Int32Array(MT_N);
  /** The current block of tempered outputs; `pos` is the next unread one. */
  readonly out = new Int32Array(MT_N);
  pos = MT_N;

  constructor(seed: number) {
    const key = this.#key;
    let s = seed >>> 0;
    for (let i = 0; i < MT_N; i++) {
      key[i] = s;
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
  }

  /** Twists the state and tempers the next 624 outputs into `out`. */
  refill(): void {
    const key = this.#key;
    const out = this.out;
    let y: number;
    let i = 0;
    for (; i < MT_N - MT_M; i++) {
      y = ((key[i] as number) & 0x80000000) | ((key[i + 1] as number) & 0x7fffffff);
      key[i] = (key[i + MT_M] as number) ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    for (; i < MT_N - 1; i++) {
      y = ((key[i] as number) & 0x80000000) | ((key[i + 1] as number) & 0x7fffffff);
      key[i] = (key[i + MT_M - MT_N] as number) ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    }
    y = ((key[MT_N - 1] as number) & 0x80000000) | ((key[0] as number) & 0x7fffffff);
    key[MT_N - 1] = (key[MT_M - 1] as number) ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
    for (let j = 0; j < MT_N; j++) {
      let v = key[j] as number;
      v ^= v >>> 11;
      v ^= (v << 7) & 0x9d2c5680;
      v ^= (v << 15) & 0xefc60000;
      v ^= v >>> 18;
      out[j] = v;
    }
    this.pos = 0;
  }
}

/**
 * Fills `rows` with accepted draws: each output masked, kept when ≤ max. Branch-free: every masked output is written
 * and the position moves on only when it is kept; a block offers at most as many outputs as rows remain, so no output
 * past the last kept one is consumed (the stream stays where numpy's is).
 */
export function fillBounded(random: Mt19937Block, rows: Int32Array, max: number, mask: number): void {
  const out = random.out;
  const n = rows.length;
  let pos = random.pos;
  let i = 0;
  while (i < n) {
    if (pos === MT_N) {
      random.refill();
      pos = 0;
    }
    const end = Math.min(MT_N, pos + (n - i));
    for (; pos < end; pos++) {
      const value = (out[pos] as number) & mask;
      rows[i] = value;
      i += ((max - value) >>> 31) ^ 1;
    }
  }
  random.pos = pos;
}

/**
 * numpy's legacy `RandomState.shuffle` of `values` in place, drawing from `random` (for i from n − 1 down to 1, swap i
 * with `random_interval(i)`: the next output masked to the next power of two above i − 1… i, again while above i), the
 * same draws as `NumpyRandomState.shuffle`.
 */
export function shuffleInPlace(random: Mt19937Block, values: Int32Array): void {
  const out = random.out;
  let pos = random.pos;
  for (let i = values.length - 1; i > 0; i--) {
    const mask = 0xffffffff >>> Math.clz32(i);
    let j: number;
    do {
      if (pos === MT_N) {
        random.refill();
        pos = 0;
      }
      j = (out[pos++] as number) & mask;
    } while (j > i);
    const tmp = values[i] as number;
    values[i] = values[j] as number;
    values[j] = tmp;
  }
  random.pos = pos;
}
