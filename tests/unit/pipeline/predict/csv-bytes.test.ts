// The byte CSV writer: numbers as String(v) and formatFloat32 write them, strings quoted once, the same text as toCsv.
import { describe, expect, it } from 'vitest';
import { ByteSink, columnCells, float32Cells, intCells, labelCells, SpareBytes, textCells, writeHeader, writeRows } from '../../../../src/lib/pipeline/csv-bytes.ts';
import { formatFloat32, predictionsCsv } from '../../../../src/lib/pipeline/csv-write.ts';
import { parseCsv } from '../../../../src/lib/pipeline/parse-csv.ts';

const text = (out: ByteSink) => new TextDecoder().decode(Buffer.concat(out.finish()));

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('ByteSink numbers', () => {
  it('writes float64 values exactly as String(v), including long, tiny, huge and negative ones', () => {
    const u = seeded(1);
    const values = [0, -0, 1, -1, 0.5, -0.5, 1e-7, 1.5e-9, 1e21, 123456789012345, 2 ** 53, -3.25, 0.1 + 0.2, 1 / 3, 41, 2147483648.5, 2147483647, -2147483647.25, 2147483647.999999, 0.000001, -0.000001, 99.99, 100.000001, 123.4567891, NaN, Infinity, -Infinity];
    for (let i = 0; i < 20000; i++) values.push(Math.round((u() - 0.5) * 10 ** (1 + Math.floor(u() * 8))) / 10 ** Math.floor(u() * 8), (u() - 0.5) * 10 ** Math.floor(u() * 30 - 15));
    for (const v of values) {
      const out = new ByteSink(32);
      out.double(v);
      expect(text(out)).toBe(Number.isFinite(v) ? String(v) : '');
    }
  });

  it('writes float32 values as short texts that read back as the same float32 (formatFloat32)', () => {
    const u = seeded(2);
    const values = [0, 1, 0.3, 0.5, 1e-7, 3.4e38, -2.5, 123456.78];
    for (let i = 0; i < 20000; i++) values.push(u(), (u() - 0.5) * 10 ** Math.floor(u() * 12 - 4));
    for (const raw of values) {
      const v = Math.fround(raw);
      const out = new ByteSink(32);
      out.float32(v);
      const written = text(out);
      expect(Math.fround(Number(written))).toBe(v);
      expect(Number(written)).toBe(Number(formatFloat32(v)));
    }
  });

  it('writes float32 values at powers of ten, past 2^24 and as probabilities in the very text of formatFloat32', () => {
    const u = seeded(3);
    const values: number[] = [];
    for (let e = -6; e <= 8; e++) {
      const p = 10 ** e;
      values.push(p, p * (1 - 1e-7), p * (1 + 1e-7), p * 9.999999, p * 1.0000001, p * 5, p * 0.25);
    }
    values.push(16777215, 16777216, 16777218, 99999992, 123456792);
    for (let i = 0; i < 50000; i++) values.push(u(), 1 - u() * 1e-3, u() * 1e-5);
    for (const raw of values) {
      const v = Math.fround(raw);
      for (const signed of [v, -v]) {
        const out = new ByteSink(32);
        out.float32(signed);
        const written = text(out);
        expect(written).toBe(formatFloat32(signed));
      }
    }
  });

  it('writes into spare memory first (whatever it held), then into new buffers, the same bytes', () => {
    const spare = new Uint8Array(2 * 4096 + 100).fill(0x78);
    const small = new Uint8Array(4000);
    const more = new Uint8Array(4096);
    const into = new ByteSink(4096, new SpareBytes(spare, small, more));
    const fresh = new ByteSink(4096);
    for (let i = 0; i < 5000; i++) {
      for (const out of [into, fresh]) {
        out.double(i * 1.25);
        out.newline();
      }
    }
    const parts = into.finish();
    expect(parts.length).toBeGreaterThan(3);
    // Two buffers from the first piece, none from the one too small, one from the last, then new ones.
    expect(parts[0]!.buffer).toBe(spare.buffer);
    expect(parts[1]!.buffer).toBe(spare.buffer);
    expect(parts[2]!.buffer).toBe(more.buffer);
    expect([spare.buffer, small.buffer, more.buffer]).not.toContain(parts[3]!.buffer);
    expect(Buffer.concat(parts).equals(Buffer.concat(fresh.finish()))).toBe(true);
  });

  it('serves two sinks of different buffer sizes from the same spare pieces, keeping what a piece has left', () => {
    // As the scored file (4 KiB buffers here) and the rejects file (1 KiB) alternate. A piece too short for the
    // next 4 KiB still gives 1 KiB buffers: 7 of the 8 buffers come from spare memory (dropping it gave 4).
    const pieces = [new Uint8Array(2 * 4096 + 100), new Uint8Array(2 * 4096 + 100)];
    const spare = new SpareBytes(...pieces);
    const scored = new ByteSink(4096, spare);
    const rejects = new ByteSink(1024, spare);
    for (let i = 0; i < 4096 * 4 - 1; i++) {
      scored.byte(49);
      if (i % 4 === 0) rejects.byte(50);
    }
    const parts = [...scored.finish(), ...rejects.finish()];
    expect(parts).toHaveLength(8);
    expect(parts.filter((part) => pieces.some((piece) => piece.buffer === part.buffer))).toHaveLength(7);
    expect(Buffer.concat(parts.slice(0, 4)).equals(Buffer.alloc(4096 * 4 - 1, 49))).toBe(true);
  });

  it('grows past one buffer and keeps every byte', () => {
    const out = new ByteSink(1 << 16);
    for (let i = 0; i < 600_000; i++) {
      out.double(i);
      out.newline();
    }
    const lines = text(out).split('\r\n');
    expect(lines).toHaveLength(600_001);
    expect(lines[599_999]).toBe('599999');
  });
});

describe('date cells', () => {
  it('writes each date as cellValue does, also when dates share a slot of the cache (4096 days apart) or a day', () => {
    const day = 86_400_000;
    const base = Date.UTC(2020, 0, 1);
    const values = [base, base + 4096 * day, base, base + 4096 * day + 3_600_000, base - 4096 * day, base + 3_600_000, NaN, base];
    const table = parseCsv(`d\n${values.map((v) => (Number.isNaN(v) ? '' : new Date(v).toISOString())).join('\n')}\n`, 'dates.csv');
    expect(table.columns[0]!.type).toBe('date');
    const out = new ByteSink();
    writeRows(out, [columnCells(table.columns[0]!)], 0, values.length);
    const expected = predictionsCsv(table, []).split('\r\n').slice(1).join('\r\n');
    expect(text(out)).toBe(expected);
    expect(text(out).split('\r\n')[1]).not.toBe(text(out).split('\r\n')[0]);
  });
});

describe('writeRows', () => {
  it('writes the same CSV as predictionsCsv for table columns and predictions, through a row map', () => {
    const table = parseCsv('n,d,b,s,t\n1.5,2024-01-02,true,"a,b",x\n,2024-01-03T10:00:00.000Z,false,,"q""uote"\n-7,,,plain,y\n', 'mixed.csv');
    const probabilities = Float32Array.of(0.25, 0.75, 0.1, 0.9, 0.6, 0.4);
    const predicted = ['yes', 'yes', 'no'];
    const expected = predictionsCsv(table, [
      { name: 'predicted_y', values: predicted },
      { name: 'probability_no', values: Float32Array.of(0.25, 0.1, 0.6) },
      { name: 'probability_yes', values: Float32Array.of(0.75, 0.9, 0.4) },
    ]);
    const out = new ByteSink();
    writeHeader(out, [...table.columns.map((c) => c.name), 'predicted_y', 'probability_no', 'probability_yes']);
    const cells = [
      ...table.columns.map((c) => columnCells(c)),
      labelCells(Int32Array.of(1, 1, 0), ['no', 'yes']),
      float32Cells(probabilities, 2, 0),
      float32Cells(probabilities, 2, 1),
    ];
    writeRows(out, cells, 0, 3);
    expect(text(out)).toBe(expected);

    const mapped = new ByteSink();
    writeRows(mapped, [columnCells(table.columns[3]!, Int32Array.of(2, 0)), intCells(Int32Array.of(2, 0), 1), textCells(['why, "this"', 'why, "this"'])], 0, 2);
    expect(text(mapped)).toBe('plain,3,"why, ""this"""\r\n"a,b",1,"why, ""this"""\r\n');
  });
});
