// Memory the Arrow encoder writes one chunk's arrays into, written over for the next chunk once the caller has copied the chunk.

/** A typed array type made over part of a buffer. */
type ArrayOver<T> = new (buffer: ArrayBuffer, byteOffset: number, length: number) => T;

/** Size of a slab of scratch memory; larger requests get a slab of their own size. */
const SLAB_BYTES = 1 << 22;

/**
 * Hands out zeroed typed arrays from a few reused buffers. A chunk's arrays live until `reset`, after which the
 * next chunk's arrays are the same memory: where first touching new pages costs more than the encode itself
 * (about 3.5 ms per MB on the bench machines), an encode that makes fresh arrays per chunk spends most of its time
 * in page faults. Only for a caller that copies each chunk (a Blob made of its parts) before asking for the next.
 */
export class EncodeScratch {
  readonly #slabs: ArrayBuffer[] = [];
  #slab = 0;
  #at = 0;

  /** Starts the next chunk: every array handed out before is written over from now on. */
  reset(): void {
    this.#slab = 0;
    this.#at = 0;
  }

  /** A zeroed array of `length` elements (like `new Type(length)`), aligned to 8 bytes. */
  array<T extends { fill(value: number): T }>(Type: ArrayOver<T> & { BYTES_PER_ELEMENT: number }, length: number): T {
    const bytes = length * Type.BYTES_PER_ELEMENT;
    let slab = this.#slabs[this.#slab];
    if (slab && this.#at + bytes > slab.byteLength) {
      slab = this.#slabs[++this.#slab];
      this.#at = 0;
    }
    if (!slab || bytes > slab.byteLength) {
      // A slab too small for this request is replaced: the next chunk asks for about the same sizes.
      slab = new ArrayBuffer(Math.max(SLAB_BYTES, bytes));
      this.#slabs[this.#slab] = slab;
      this.#at = 0;
    }
    const array = new Type(slab, this.#at, length);
    this.#at += (bytes + 7) & ~7;
    return array.fill(0);
  }
}

/** Makes a zeroed array: from the scratch memory when there is one, else new. */
export function zeroed<T extends { fill(value: number): T }>(
  Type: ArrayOver<T> & (new (length: number) => T) & { BYTES_PER_ELEMENT: number },
  length: number,
  scratch: EncodeScratch | undefined,
): T {
  return scratch ? scratch.array(Type, length) : new Type(length);
}
