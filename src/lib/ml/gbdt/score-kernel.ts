// QuickScorer's inner loops as a tiny WebAssembly function (assembled here, as kernel.ts's): AND the leaf masks of a block of rows, then add the leftmost leaf's value.
import { name, section, sleb, uleb } from './kernel.ts';

const I32 = 0x7f;
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const i32 = (value: number) => [0x41, ...sleb(value)];
const MINUS_ONE = [0x41, 0x7f];
const ADD = 0x6a;
const MUL = 0x6c;
const AND = 0x71;
const SHL = 0x74;
const CTZ = 0x68;
const GE_U = 0x4f;
const GT_U = 0x4b;
const BR_IF = 0x0d;
const BR = 0x0c;
const END = 0x0b;
const BLOCK_LOOP = [0x02, 0x40, 0x03, 0x40];
const load = [0x28, 2, 0];
const load4 = [0x28, 2, 4];
const store = [0x36, 2, 0];
const load8 = [0x2d, 0, 0];
const f64Load = [0x2b, 3, 0];
const f64Store = [0x39, 3, 0];
/** `for (; local < limit; local += 1) { body }` */
const loop = (local: number, limit: number[], body: number[]) => [
  ...BLOCK_LOOP, ...get(local), ...limit, GE_U, BR_IF, 1, ...body, ...get(local), ...i32(1), ADD, ...set(local), BR, 0, END, END,
];

/**
 * `score(tables, usedStart, usedColumns, leafValues, t0, tEnd, tStep, block, stride, m, masks, sums)`, byte
 * addresses: for trees t = t0, t0 + tStep, … below tEnd, and rows j < m of the block (column c's bins at
 * block + c·stride), masks[j] = AND over u in usedStart[t]…usedStart[t + 1] of tables[u·256 + bin of column
 * usedColumns[u]] (i32), then sums[j] += leafValues[t·32 + ctz(masks[j])] (f64): predict.ts's JS loops.
 */
function scoreModule(): Uint8Array {
  // Parameters 0 tables, 1 usedStart, 2 usedColumns, 3 leafValues, 4 t0, 5 tEnd, 6 tStep, 7 block, 8 stride, 9 m,
  // 10 masks, 11 sums; locals 12 t, 13 j, 14 u, 15 uEnd, 16 at, 17 … 20 four tables, 21 … 24 four columns.
  const maskAt = [...get(10), ...get(13), ...i32(2), SHL, ADD];
  /** Columns u … u + k − 1 in one pass over the rows (the masks read and written once for them); u += k. */
  const pass = (k: number) => {
    const setup: number[] = [];
    const lookups: number[] = [];
    for (let c = 0; c < k; c++) {
      setup.push(...get(0), ...get(14), ...i32(c), ADD, ...i32(10), SHL, ADD, ...set(17 + c));
      setup.push(...get(7), ...get(2), ...get(14), ...i32(c), ADD, ...i32(2), SHL, ADD, ...load, ...get(8), MUL, ADD, ...set(21 + c));
      lookups.push(...get(17 + c), ...get(21 + c), ...get(13), ADD, ...load8, ...i32(2), SHL, ADD, ...load, AND);
    }
    return [
      ...setup,
      ...i32(0), ...set(13),
      ...loop(13, get(9), [...maskAt, ...tee(16), ...get(16), ...load, ...lookups, ...store]),
      ...get(14), ...i32(k), ADD, ...set(14),
    ];
  };
  const code = [
    1, 13, I32,
    ...get(4), ...set(12),
    ...BLOCK_LOOP,
    ...get(12), ...get(5), GE_U, BR_IF, 1,
    ...i32(0), ...set(13),
    ...loop(13, get(9), [...maskAt, ...MINUS_ONE, ...store]),
    ...get(1), ...get(12), ...i32(2), SHL, ADD, ...tee(16), ...load, ...set(14),
    ...get(16), ...load4, ...set(15),
    // Four columns a pass while four are left, then one at a time.
    ...BLOCK_LOOP, ...get(14), ...i32(4), ADD, ...get(15), GT_U, BR_IF, 1, ...pass(4), BR, 0, END, END,
    ...BLOCK_LOOP, ...get(14), ...get(15), GE_U, BR_IF, 1, ...pass(1), BR, 0, END, END,
    ...i32(0), ...set(13),
    ...loop(13, get(9), [
      ...get(11), ...get(13), ...i32(3), SHL, ADD, ...tee(16),
      ...get(16), ...f64Load,
      ...get(3), ...get(12), ...i32(8), SHL, ADD, ...maskAt, ...load, CTZ, ...i32(3), SHL, ADD, ...f64Load,
      0xa0, ...f64Store,
    ]),
    ...get(12), ...get(6), ADD, ...set(12), BR, 0, END, END,
    END,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 12, ...new Array<number>(12).fill(I32), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('score'), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

type ScoreFunction = (tables: number, usedStart: number, usedColumns: number, leafValues: number, t0: number, tEnd: number, tStep: number, block: number, stride: number, m: number, masks: number, sums: number) => void;

let compiled: WebAssembly.Module | null | undefined;

/** What a forest's tables look like to the scorer. */
export interface LeafMaskTables {
  usedStart: Int32Array;
  usedColumns: Int32Array;
  tables: Int32Array;
  leafValues: Float64Array;
}

/**
 * One forest's QuickScorer tables copied into a WebAssembly memory with room for a block of `rows` rows of
 * `columns` bins; `block` and `sums` are views to fill and read. Null without WebAssembly.
 */
export class LeafMaskScorer {
  readonly block: Uint8Array;
  readonly sums: Float64Array;
  readonly #score: ScoreFunction;
  readonly #at: { tables: number; usedStart: number; usedColumns: number; leafValues: number; masks: number };
  readonly #rows: number;

  static create(forest: LeafMaskTables, columns: number, rows: number): LeafMaskScorer | null {
    try {
      if (compiled === undefined) compiled = new WebAssembly.Module(scoreModule() as BufferSource);
    } catch {
      compiled = null;
    }
    if (!compiled) return null;
    try {
      return new LeafMaskScorer(compiled, forest, columns, rows);
    } catch {
      return null;
    }
  }

  private constructor(module: WebAssembly.Module, forest: LeafMaskTables, columns: number, rows: number) {
    const parts = [forest.tables.byteLength, forest.usedStart.byteLength, forest.usedColumns.byteLength, forest.leafValues.byteLength, rows * 4, rows * 8, columns * rows];
    const offsets: number[] = [];
    let total = 0;
    for (const bytes of parts) {
      offsets.push(total);
      total += Math.ceil(bytes / 16) * 16;
    }
    const memory = new WebAssembly.Memory({ initial: Math.ceil((total + 64) / 65536) });
    const buffer = memory.buffer;
    const [tables, usedStart, usedColumns, leafValues, masks, sums, block] = offsets as [number, number, number, number, number, number, number];
    new Int32Array(buffer, tables, forest.tables.length).set(forest.tables);
    new Int32Array(buffer, usedStart, forest.usedStart.length).set(forest.usedStart);
    new Int32Array(buffer, usedColumns, forest.usedColumns.length).set(forest.usedColumns);
    new Float64Array(buffer, leafValues, forest.leafValues.length).set(forest.leafValues);
    this.#score = new WebAssembly.Instance(module, { env: { memory } }).exports.score as ScoreFunction;
    this.#at = { tables, usedStart, usedColumns, leafValues, masks };
    this.#rows = rows;
    this.sums = new Float64Array(buffer, sums, rows);
    this.block = new Uint8Array(buffer, block, columns * rows);
  }

  /** sums[j] += the leaf value of trees t0, t0 + step, … below end for the block's first m rows (column c at c · rows). */
  score(t0: number, end: number, step: number, m: number): void {
    const at = this.#at;
    this.#score(at.tables, at.usedStart, at.usedColumns, at.leafValues, t0, end, step, this.block.byteOffset, this.#rows, m, at.masks, this.sums.byteOffset);
  }
}
