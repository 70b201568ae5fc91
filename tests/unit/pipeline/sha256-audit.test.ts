import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEntry, GENESIS_HASH, verifyChain } from '../../../src/lib/pipeline/audit-chain.ts';
import { mulberry32 } from '../../../src/lib/pipeline/split.ts';
import { sha256File, sha256Hex } from '../../../src/lib/pipeline/sha256.ts';
import type { AuditEntry } from '../../../src/lib/pipeline/types.ts';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on every length around the block edges and on 1 MB', () => {
    const rng = mulberry32(5);
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
      expect(sha256Hex(bytes), `length ${n}`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const big = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(rng() * 256));
    expect(sha256Hex(big)).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('hashes strings as UTF-8', () => {
    expect(sha256Hex('Zürich 東京')).toBe(createHash('sha256').update('Zürich 東京', 'utf8').digest('hex'));
  });

  it('sha256File (WebCrypto) agrees with the pure version, also on a subarray view', async () => {
    const bytes = new TextEncoder().encode('xxa,b\n1,2\nyy');
    const view = bytes.subarray(2, 11);
    expect(await sha256File(view)).toBe(sha256Hex(view));
    expect(await sha256File(view)).toBe(createHash('sha256').update(view).digest('hex'));
  });
});

describe('audit chain', () => {
  const at = (i: number) => `2025-01-0${i}T00:00:00.000Z`;
  function makeChain(): AuditEntry[] {
    const entries: AuditEntry[] = [];
    const inputs = [
      { action: 'import', subject: 'penguins.json', details: { rows: 344, sha256: 'ab' } },
      { action: 'train', subject: 'run 1', details: { seed: 1, model: 'mlp' } },
      { action: 'save-model', subject: 'species v1', details: { runId: 1 } },
      { action: 'export', subject: 'species v1', details: { bytes: 1024 } },
    ] as const;
    inputs.forEach((input, i) => entries.push(chainEntry(entries.at(-1), { ...input, details: { ...input.details }, at: at(i + 1) })));
    return entries;
  }

  it('canonicalJson sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
    );
  });

  it('chains seq and hashes', () => {
    const chain = makeChain();
    expect(chain[0]?.seq).toBe(1);
    expect(chain[0]?.prevHash).toBe(GENESIS_HASH);
    expect(chain[2]?.seq).toBe(3);
    expect(chain[2]?.prevHash).toBe(chain[1]?.hash);
    const { hash, ...rest } = chain[0] as AuditEntry;
    expect(hash).toBe(sha256Hex(canonicalJson(rest)));
    expect(verifyChain(chain)).toEqual({ ok: true, count: 4 });
  });

  it('detects an edited entry', () => {
    const chain = makeChain();
    (chain[1] as AuditEntry).details = { seed: 2, model: 'mlp' };
    const result = verifyChain(chain);
    expect(result).toMatchObject({ ok: false, brokenAt: 2 });
    expect(!result.ok && result.reason).toContain('Entry 2 was changed');
  });

  it('detects a removed entry', () => {
    const chain = makeChain();
    chain.splice(1, 1);
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects reordered entries', () => {
    const chain = makeChain();
    const [second, third] = [chain[1] as AuditEntry, chain[2] as AuditEntry];
    chain[1] = third;
    chain[2] = second;
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects an entry rewritten with a fresh hash but a wrong link', () => {
    const chain = makeChain();
    const forged = chainEntry(undefined, { action: 'delete', subject: 'x', details: {}, at: at(9) });
    chain[1] = { ...forged, seq: 2, hash: '' };
    const { hash: _h, ...rest } = chain[1];
    chain[1].hash = sha256Hex(canonicalJson(rest));
    const result = verifyChain(chain);
    expect(result).toMatchObject({ ok: false, brokenAt: 2 });
    expect(!result.ok && result.reason).toContain('does not link');
  });
});
