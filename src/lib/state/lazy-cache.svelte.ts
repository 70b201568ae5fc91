// Records that never change (a version's profile, a stored run), read from a worker the first time a view asks
// for one and kept for the next view that asks: `get` answers undefined until the value arrived, and a view
// that read it renders again then.

export class LazyCache<K, V> {
  /** Values that arrived, oldest first (a list replaced on each arrival, so readers are told). */
  #entries = $state.raw<{ key: K; value: V }[]>([]);
  /** Keys asked for, arrived or not: each is asked once (a key that failed is not asked again on every render). */
  #asked: K[] = [];
  #alive = true;

  /**
   * @param read reads one value (in a worker)
   * @param keep values kept at most; the oldest is dropped (and asked for again when needed)
   * @param failed told when a read fails
   */
  constructor(
    private readonly read: (key: K) => Promise<V>,
    private readonly keep: number,
    private readonly failed: (key: K, error: unknown) => void = () => undefined,
  ) {}

  /** The value for `key`, or undefined while it is being read (reading starts here). */
  get(key: K): V | undefined {
    const hit = this.#entries.find((e) => e.key === key);
    if (hit || this.#asked.includes(key)) return hit?.value;
    this.#asked.push(key);
    this.read(key).then(
      (value) => {
        if (!this.#alive) return;
        const full = this.#entries.length >= this.keep;
        const dropped = full ? this.#entries[0]!.key : undefined;
        this.#entries = [...this.#entries.slice(full ? 1 : 0), { key, value }];
        if (full) this.#asked = this.#asked.filter((k) => k !== dropped);
      },
      (error: unknown) => {
        if (this.#alive) this.failed(key, error);
      },
    );
    return undefined;
  }

  /** Stops keeping what arrives (the owner goes away). */
  destroy(): void {
    this.#alive = false;
  }
}
