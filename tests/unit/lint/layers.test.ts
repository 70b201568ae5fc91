// The lint config keeps the layers apart and the import graph acyclic: planted imports must fail lint.
// Runs the repo's real eslint.config.js (eslint/layers.js) on source text planted at paths in the tree;
// the files need not exist. Cycles use the small import graphs in ./fixtures.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import millrace from '../../../eslint/layers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = 'tests/unit/lint/fixtures';

let eslint: ESLint;
let eslintNoTypeCycles: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      files: [`${fixtures}/**`],
      plugins: { millrace },
      rules: { 'millrace/no-cycle': ['error', { root }] },
    },
  });
  eslintNoTypeCycles = new ESLint({
    cwd: root,
    overrideConfig: {
      files: [`${fixtures}/**`],
      plugins: { millrace },
      rules: { 'millrace/no-cycle': ['error', { root, typeImports: false }] },
    },
  });
});

function problems(messages: Linter.LintMessage[]): Linter.LintMessage[] {
  // A parse error (ruleId null) would hide every import rule; it fails the test instead.
  expect(messages.filter((m) => m.fatal || m.ruleId === null)).toEqual([]);
  return messages.filter((m) => m.ruleId?.startsWith('millrace/'));
}

async function lint(filePath: string, code: string, linter = eslint): Promise<Linter.LintMessage[]> {
  const [result] = await linter.lintText(code, { filePath: path.join(root, filePath) });
  return problems(result!.messages);
}

async function lintFile(filePath: string, linter = eslint): Promise<Linter.LintMessage[]> {
  const [result] = await linter.lintFiles([path.join(root, filePath)]);
  return problems(result!.messages);
}

describe('layers', () => {
  it('fails when the store imports ml, naming both layers', async () => {
    const found = await lint('src/lib/store/planted.ts', "import { buildModel } from '../ml/model.ts';\nexport const m = buildModel;\n");
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe('millrace/layers');
    expect(found[0]!.line).toBe(1);
    expect(found[0]!.message).toContain("Layer 'store' may not import layer 'ml' (src/lib/ml/model.ts)");
    expect(found[0]!.message).toContain("'store' may import only: store, pipeline, contracts");
  });

  it('fails when the store imports the worker protocol, even type-only', async () => {
    const found = await lint(
      'src/lib/store/planted.ts',
      "import type { RunRecord } from '../../../workers/protocol.ts';\nexport type R = RunRecord;\n",
    );
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(found[0]!.message).toContain("Layer 'store' may not import layer 'workers' (workers/protocol.ts)");
    expect(found[0]!.message).toContain('type-only imports count too');
  });

  it('fails when ml imports workers', async () => {
    const found = await lint(
      'src/lib/ml/planted.ts',
      "import type { BackendName } from '../../../workers/protocol.ts';\nexport type B = BackendName;\n",
    );
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(found[0]!.message).toContain("Layer 'ml' may not import layer 'workers'");
  });

  it('fails when pipeline imports the store', async () => {
    const found = await lint('src/lib/pipeline/deep/planted.ts', "import { db } from '../../store/db.ts';\nexport const d = db;\n");
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(found[0]!.message).toContain("Layer 'pipeline' may not import layer 'store' (src/lib/store/db.ts)");
  });

  it('fails when a component imports the store', async () => {
    const code = [
      '<script lang="ts">',
      "  import type { RunRecord } from '../lib/store/records.ts';",
      '  let { run }: { run: RunRecord } = $props();',
      '</script>',
      '',
      '<p>{run.id}</p>',
      '',
    ].join('\n');
    const found = await lint('src/components/Planted.svelte', code);
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(found[0]!.line).toBe(2);
    expect(found[0]!.message).toContain("Layer 'components' may not import layer 'store'");
  });

  it('passes legal imports', async () => {
    expect(
      await lint(
        'src/lib/store/planted.ts',
        "import type { ColumnType } from '../pipeline/types.ts';\nimport { sha256Hex } from '../pipeline/sha256.ts';\nexport type C = ColumnType;\nexport const h = sha256Hex;\n",
      ),
    ).toEqual([]);
    expect(await lint('src/lib/store/planted.ts', "export type { ImportResult } from '../contracts/data.ts';\n")).toEqual([]);
    expect(await lint('workers/planted.ts', "export { buildModel } from '../src/lib/ml/model.ts';\nexport * from '../src/lib/store/db.ts';\n")).toEqual([]);
    expect(
      await lint(
        'src/lib/workers-client/planted.ts',
        "import type { DataApi } from '../../../workers/protocol.ts';\nexport type A = DataApi;\nexport const u = new URL('../../../workers/data.worker.ts', import.meta.url);\n",
      ),
    ).toEqual([]);
    // tests/ is in no layer: anything goes.
    expect(await lint('tests/unit/planted.test.ts', "export * from '../../workers/protocol.ts';\nexport * from '../../src/lib/store/db.ts';\n")).toEqual([]);
  });

  it('checks export-from, import(), typeof import(), new URL and query suffixes too', async () => {
    const code = [
      "export * from '../../../workers/protocol.ts';",
      "export const load = () => import('../ml/model.ts');",
      "export type T = typeof import('../state/router.svelte.ts');",
      "export const w = new URL('../../../workers/ml.worker.ts', import.meta.url);",
      "export { default as url } from '../ml/model.ts?url';",
      '',
    ].join('\n');
    const found = await lint('src/lib/store/planted.ts', code);
    expect(found.map((m) => [m.ruleId, m.line])).toEqual([
      ['millrace/layers', 1],
      ['millrace/layers', 2],
      ['millrace/layers', 3],
      ['millrace/layers', 4],
      ['millrace/layers', 5],
    ]);
    expect(found[1]!.message).toContain('(dynamic import)');
    expect(found[2]!.message).toContain("layer 'state'");
    expect(found[3]!.message).toContain('new URL');
  });

  it('fails on a file under src/ that is in no layer, and on imports of files in no layer', async () => {
    const unlayered = await lint('src/lib/newthing/planted.ts', 'export const x = 1;\n');
    expect(unlayered.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(unlayered[0]!.message).toContain('src/lib/newthing/planted.ts is in no layer');
    const outside = await lint('src/cli/planted.ts', "export * from '../../tests/unit/cli-run.ts';\n");
    expect(outside.map((m) => m.ruleId)).toEqual(['millrace/layers']);
    expect(outside[0]!.message).toContain('tests/unit/cli-run.ts');
    expect(outside[0]!.message).toContain('in no layer');
  });

  it('lets the app entry use views and state but not the store, ml or workers', async () => {
    expect(await lint('src/planted.ts', "export * from './lib/state/router.svelte.ts';\nexport * from './views/planted.ts';\n")).toEqual([]);
    const found = await lint(
      'src/planted.ts',
      "export * from './lib/store/db.ts';\nexport * from './lib/ml/model.ts';\nexport * from '../workers/protocol.ts';\n",
    );
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/layers', 'millrace/layers', 'millrace/layers']);
  });
});

describe('no-cycle', () => {
  it('fails on every import that closes a cycle, naming the cycle', async () => {
    const a = await lintFile(`${fixtures}/cycle/a.ts`);
    expect(a.map((m) => [m.ruleId, m.line])).toEqual([['millrace/no-cycle', 2]]);
    expect(a[0]!.message).toContain(
      `Import cycle: ${fixtures}/cycle/a.ts → ${fixtures}/cycle/b.ts → ${fixtures}/cycle/c.ts → ${fixtures}/cycle/a.ts`,
    );
    expect((await lintFile(`${fixtures}/cycle/c.ts`)).map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
  });

  it('passes an acyclic graph', async () => {
    for (const file of ['top', 'middle', 'bottom']) expect(await lintFile(`${fixtures}/acyclic/${file}.ts`)).toEqual([]);
  });

  it('fails on a planted import that closes a cycle (the linted text, not the file on disk)', async () => {
    const found = await lint(`${fixtures}/acyclic/bottom.ts`, "import { top } from './top.ts';\nexport const bottom = (): number => top();\n");
    expect(found.map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
    expect(found[0]!.message).toContain(`${fixtures}/acyclic/bottom.ts → ${fixtures}/acyclic/top.ts → ${fixtures}/acyclic/`);
  });

  it('follows imports through Svelte components on disk', async () => {
    const rows = await lintFile(`${fixtures}/svelte-cycle/rows.ts`);
    expect(rows.map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
    expect(rows[0]!.message).toContain('svelte-cycle/rows.ts → tests/unit/lint/fixtures/svelte-cycle/Row.svelte → ');
    expect((await lintFile(`${fixtures}/svelte-cycle/Row.svelte`)).map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
  });

  it('counts type-only imports unless told not to', async () => {
    expect((await lintFile(`${fixtures}/type-cycle/shape.ts`)).map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
    expect((await lintFile(`${fixtures}/type-cycle/area.ts`)).map((m) => m.ruleId)).toEqual(['millrace/no-cycle']);
    expect(await lintFile(`${fixtures}/type-cycle/shape.ts`, eslintNoTypeCycles)).toEqual([]);
  });

  it('is on for src/ and workers/ in the real config', async () => {
    const config = (await eslint.calculateConfigForFile(path.join(root, 'src/lib/store/planted.ts'))) as Linter.Config;
    expect(config.rules?.['millrace/no-cycle']).toBeDefined();
    expect(config.rules?.['millrace/layers']).toBeDefined();
    const workers = (await eslint.calculateConfigForFile(path.join(root, 'workers/planted.ts'))) as Linter.Config;
    expect(workers.rules?.['millrace/no-cycle']).toBeDefined();
  });
});
