// The CLI folder registry end to end: run --register, models, promote (exit 3, --force), rollback, history, score by alias, import and export, each refusal naming its input.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA, millrace } from './cli-run.ts';
import { cli, readJsonFile, replay, type Move } from './cli-registry-helpers.ts';

const work = mkdtempSync(join(tmpdir(), 'millrace-cli-registry-'));
const registry = join(work, 'registry');
const reg = ['--registry', registry];
const versionDir = (name: string, v: number) => join(registry, name, 'versions', String(v));

type Listing = { registry: string; models: { name: string; aliases: Record<string, number>; versions: { version: number; target: string; task: string; verdict: { passed: boolean } | null; aliases: string[] }[] }[] };

beforeAll(async () => {
  // v1: Species, passes, its recipe drops rows without Sex; v2: Species, fails a strict policy; v3: Island. Trained one after another so the numbers are known.
  writeFileSync(join(work, 'recipe.json'), JSON.stringify({ steps: [{ kind: 'drop-missing', columns: ['Sex'] }] }));
  writeFileSync(join(work, 'strict.json'), JSON.stringify({ metrics: [{ metric: 'accuracy', threshold: 0.999 }] }));
  const runs = [
    ['a', '--target', 'Species', '--recipe', join(work, 'recipe.json')],
    ['b', '--target', 'Species', '--policy', join(work, 'strict.json')],
    ['c', '--target', 'Island'],
  ];
  for (const [index, [out, ...args]] of runs.entries()) {
    const result = await cli('run', '--data', `${DATA}/penguins.json`, '--epochs', '5', '--out', join(work, out!), '--register', 'penguins', ...reg, ...args);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`millrace: registered penguins v${index + 1} in ${registry}`);
  }
}, 120_000);

describe('millrace run --register and models', () => {
  it('saves each run as the next version: the bundle folder with review.json and a manifest', async () => {
    expect(readdirSync(join(registry, 'penguins', 'versions')).sort()).toEqual(['1', '2', '3']);
    const files = readdirSync(versionDir('penguins', 1)).sort();
    // The same files as the run's own model/ folder (one list), named and numbered for the registry on the card.
    expect(files).toEqual(readdirSync(join(work, 'a', 'model')).sort());
    // (weights.bin too for a network; --model auto may pick trees, whose model.json is the whole model)
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'model.json', 'transforms.json', 'recipe.json', 'pipeline.json', 'review.json', 'model-card.md']));
    expect(readFileSync(join(versionDir('penguins', 2), 'model-card.md'), 'utf8')).toMatch(/^# penguins — version 2/);
    expect(readFileSync(join(versionDir('penguins', 1), 'model.json'))).toEqual(readFileSync(join(work, 'a', 'model', 'model.json')));
    expect(readdirSync(join(registry, 'penguins')).sort()).toEqual(['versions']);
  });

  it('lists names, versions, verdicts and aliases, as text and as JSON', async () => {
    const all = await cli('models', ...reg);
    expect(all.status).toBe(0);
    expect(all.stdout).toBe('penguins: 3 versions (latest v3, Island, multiclass); no aliases\n');
    const one = await cli('models', 'penguins', ...reg);
    expect(one.stdout.split('\n')[2]).toMatch(/^ {2}v2 {2}Species \(multiclass\) {2}review failed \(1\)/);
    const json = readJson<Listing>((await cli('models', 'penguins', '--json', ...reg)).stdout);
    expect(json.models[0]!.versions.map((v) => [v.version, v.target, v.verdict?.passed])).toEqual([[1, 'Species', true], [2, 'Species', false], [3, 'Island', true]]);
    const unknown = await cli('models', 'puffins', ...reg);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`millrace: The registry ${registry} has no model "puffins"; it has penguins\n`);
  });
});

function readJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

describe('millrace promote, rollback and history', () => {
  it('promotes a passed version; a failed verdict exits 3 changing nothing, --force records an override', async () => {
    const first = await cli('promote', 'penguins', '1', '--note', 'first champion', ...reg);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('millrace: penguins champion → v1 (was none)\n');
    // The real command (bin/millrace.mjs) as a process: its exit status is 3.
    const refused = millrace('promote', 'penguins', '2', '--note', 'try', ...reg);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/^millrace: penguins v2 cannot become champion: its review verdict failed: accuracy 0\.\d+ is below the threshold 0\.999\. Nothing was changed; add --force/);
    expect(readJsonFile(join(registry, 'penguins', 'aliases.json'))).toEqual({ champion: 1 });
    expect(readJsonFile<Move[]>(join(registry, 'penguins', 'history.json'))).toHaveLength(1);
    const forced = await cli('promote', 'penguins', 'v2', '--note', 'needed for the demo', '--force', ...reg);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/champion → v2 \(was v1\) \(override: its review verdict failed; note recorded\)/);
    const history = readJsonFile<Move[]>(join(registry, 'penguins', 'history.json'));
    expect(history[1]).toMatchObject({ kind: 'promote', from: 1, to: 2, override: true, note: 'needed for the demo', verdict: { passed: false } });
  });

  it('refuses an alias with a space, another target, a missing note and an unknown version, naming them', async () => {
    const space = await cli('promote', 'penguins', '1', '--alias', 'my alias', '--note', 'x', ...reg);
    expect(space.status).toBe(1);
    expect(space.stderr).toMatch(/^millrace: The alias "my alias" is not allowed/);
    const target = await cli('promote', 'penguins', '3', '--note', 'x', ...reg);
    expect(target.status).toBe(1);
    expect(target.stderr).toMatch(/penguins v3 predicts "Island" \(multiclass\) but champion now points at v2, which predicts "Species"/);
    const note = await cli('promote', 'penguins', '1', ...reg);
    expect(note.status).toBe(1);
    expect(note.stderr).toMatch(/promote needs --note/);
    const missing = await cli('promote', 'penguins', '9', '--note', 'x', ...reg);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/penguins has no version 9; its versions are v1, v2, v3/);
    expect(readJsonFile(join(registry, 'penguins', 'aliases.json'))).toEqual({ champion: 2 });
  });

  it('rolls back to the earlier holder, then refuses when there is none', async () => {
    const back = await cli('rollback', 'penguins', '--note', 'v2 misbehaves', ...reg);
    expect(back.status).toBe(0);
    expect(back.stdout).toBe('millrace: penguins champion → v1 (rolled back from v2)\n');
    const again = await cli('rollback', 'penguins', '--note', 'again', ...reg);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('millrace: champion of penguins has no earlier version to roll back to: v1 is the first it pointed at\n');
    const none = await cli('rollback', 'penguins', '--alias', 'challenger', '--note', 'x', ...reg);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/penguins has no challenger to roll back/);
  });

  it('lists every move oldest first, matching aliases.json', async () => {
    expect((await cli('promote', 'penguins', '3', '--alias', 'island', '--note', 'Island model', ...reg)).status).toBe(0);
    const json = await cli('history', 'penguins', '--json', ...reg);
    const moves = readJson<Move[]>(json.stdout);
    expect(moves.map((m) => [m.alias, m.kind, m.from, m.to])).toEqual([
      ['champion', 'promote', null, 1],
      ['champion', 'promote', 1, 2],
      ['champion', 'rollback', 2, 1],
      ['island', 'promote', null, 3],
    ]);
    expect(replay(moves)).toEqual(readJsonFile(join(registry, 'penguins', 'aliases.json')));
    const text = (await cli('history', 'penguins', '--alias', 'champion', ...reg)).stdout.trimEnd().split('\n');
    expect(text).toHaveLength(3);
    expect(text[1]).toMatch(/champion {2}promote {2}v1 → v2 {2}\(review failed, override\) {2}"needed for the demo"$/);
    const listed = readJson<Listing>((await cli('models', '--json', ...reg)).stdout);
    expect(listed.models[0]!.aliases).toEqual({ champion: 1, island: 3 });
    expect(listed.models[0]!.versions[0]!.aliases).toEqual(['champion']);
  });
});

describe('millrace score', () => {
  it('scores by alias exactly as by folder, and lists the rows the recipe drops with the reason', async () => {
    const byAlias = await cli('score', '--model', 'penguins@champion', '--data', `${DATA}/penguins.json`, '--out', join(work, 'alias.csv'), '--rejects', join(work, 'rejects.csv'), ...reg);
    expect(byAlias.stderr).toBe('');
    expect(byAlias.status).toBe(0);
    expect(byAlias.stdout).toMatch(/scored 334 of 344 rows of penguins\.json with penguins v1 \(champion\); wrote .*; 10 rows dropped by the recipe/);
    const byFolder = await cli('score', '--model', join(work, 'a'), '--data', `${DATA}/penguins.json`, '--out', join(work, 'folder.csv'), ...reg);
    expect(byFolder.status).toBe(0);
    const scored = readFileSync(join(work, 'alias.csv'), 'utf8');
    expect(scored).toBe(readFileSync(join(work, 'folder.csv'), 'utf8'));
    expect(scored.split('\r\n')[0]).toBe('Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,predicted_Species,probability_Adelie,probability_Chinstrap,probability_Gentoo');
    const byVersion = await cli('score', '--model', 'penguins@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'version.csv'), ...reg);
    expect(readFileSync(join(work, 'version.csv'), 'utf8')).toBe(scored);
    const rejects = readFileSync(join(work, 'rejects.csv'), 'utf8').trimEnd().split('\r\n');
    expect(rejects[0]).toBe('row,Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,reason');
    expect(rejects).toHaveLength(11);
    const records = readJsonFile<{ Sex: string | null }[]>(`${DATA}/penguins.json`);
    for (const line of rejects.slice(1)) {
      expect(records[Number(line.split(',')[0])]!.Sex ?? null).toBeNull();
      expect(line).toMatch(/,Step 1 \(drop-missing\): .*Sex.*$/);
    }
    expect(byVersion.status).toBe(0);
  });

  it('refuses a file missing a feature, naming the column, and writes nothing', async () => {
    const records = readJsonFile<Record<string, unknown>[]>(`${DATA}/penguins.json`).map(({ 'Flipper Length (mm)': _drop, ...rest }) => rest);
    writeFileSync(join(work, 'no-flipper.json'), JSON.stringify(records));
    const result = await cli('score', '--model', 'penguins@champion', '--data', join(work, 'no-flipper.json'), '--out', join(work, 'none.csv'), ...reg);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('millrace: no-flipper.json lacks a column the model needs: "Flipper Length (mm)" (a model input) (penguins v1 (champion)); nothing was written\n');
    expect(existsSync(join(work, 'none.csv'))).toBe(false);
    // An extra column is kept and noted; a model without a recipe rejects nothing (the rejects file is its header).
    writeFileSync(join(work, 'tagged.json'), JSON.stringify(readJsonFile<Record<string, unknown>[]>(`${DATA}/penguins.json`).map((r, i) => ({ ...r, Tag: `t${i}` }))));
    const tagged = await cli('score', '--model', 'penguins@island', '--data', join(work, 'tagged.json'), '--out', join(work, 'tagged.csv'), '--rejects', join(work, 'tagged-rejects.csv'), ...reg);
    expect(tagged.status).toBe(0);
    expect(tagged.stderr).toBe('millrace: note: Ignored column (not read by the model; kept in the download): "Tag"\n');
    expect(readFileSync(join(work, 'tagged-rejects.csv'), 'utf8')).toBe('row,Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex,Tag,reason\r\n');
    expect(readFileSync(join(work, 'tagged.csv'), 'utf8').split('\r\n')[0]).toMatch(/,Tag,predicted_Island,probability_Biscoe,probability_Dream,probability_Torgersen$/);
    const alias = await cli('score', '--model', 'penguins@prod', '--data', `${DATA}/penguins.json`, '--out', join(work, 'none.csv'), ...reg);
    expect(alias.status).toBe(1);
    expect(alias.stderr).toBe('millrace: penguins has no alias "prod"; its aliases are champion, island\n');
  });
});

describe('millrace review of a registry version', () => {
  it('reviews NAME@ALIAS into --out, never into the sealed version folder', async () => {
    const sealed = await cli('review', '--model', 'penguins@champion', '--data', `${DATA}/penguins.json`, ...reg);
    expect(sealed.status).toBe(1);
    expect(sealed.stderr).toMatch(/^millrace: millrace review does not write into the bundle folder of penguins@champion .*give --out DIR/);
    const reviewed = await cli('review', '--model', 'penguins@champion', '--data', `${DATA}/penguins.json`, '--out', join(work, 'champion-review'), ...reg);
    expect(reviewed.status).toBe(0);
    expect(reviewed.stdout).toMatch(/^review passed: accuracy/);
    expect(existsSync(join(work, 'champion-review', 'review.html'))).toBe(true);
    expect(readFileSync(join(versionDir('penguins', 1), 'review.json'))).toEqual(readFileSync(join(work, 'a', 'model', 'review.json')));
  });
});

describe('millrace export and import', () => {
  it('exports a version as a zip that imports as the next version, by its name or --name', async () => {
    const exported = await cli('export', 'penguins@champion', '--out', join(work, 'champion.zip'), ...reg);
    expect(exported.status).toBe(0);
    const entries = unzipSync(readFileSync(join(work, 'champion.zip')));
    expect(Object.keys(entries).sort()).toEqual(readdirSync(versionDir('penguins', 1)).sort());
    const imported = await cli('import', join(work, 'champion.zip'), ...reg);
    expect(imported.stdout).toBe(`millrace: imported champion.zip (Species, multiclass) as penguins v4 in ${registry}\n`);
    expect(readFileSync(join(versionDir('penguins', 4), 'model.json'))).toEqual(readFileSync(join(versionDir('penguins', 1), 'model.json')));
    const renamed = await cli('import', join(work, 'champion.zip'), '--name', 'penguins-copy', ...reg);
    expect(renamed.status).toBe(0);
    expect(existsSync(join(versionDir('penguins-copy', 1), 'manifest.json'))).toBe(true);
    // The imported version keeps its review: promotable like the original.
    expect((await cli('promote', 'penguins-copy', '1', '--note', 'imported', ...reg)).status).toBe(0);
  });

  it('refuses a tampered zip naming the file, and a version folder changed on disk, writing nothing', async () => {
    const entries = unzipSync(readFileSync(join(work, 'champion.zip')));
    entries['transforms.json'] = strToU8(new TextDecoder().decode(entries['transforms.json']).replace('"Species"', '"Island"'));
    writeFileSync(join(work, 'tampered.zip'), zipSync(entries));
    const before = readdirSync(join(registry, 'penguins', 'versions')).sort();
    const refused = await cli('import', join(work, 'tampered.zip'), ...reg);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('millrace: tampered.zip: transforms.json does not match its SHA-256 in manifest.json (the file was changed); refused\n');
    expect(readdirSync(join(registry, 'penguins', 'versions')).sort()).toEqual(before);
    const copy = join(work, 'copy');
    cpSync(registry, copy, { recursive: true });
    writeFileSync(join(copy, 'penguins', 'versions', '1', 'model.json'), Buffer.concat([readFileSync(join(copy, 'penguins', 'versions', '1', 'model.json')), Buffer.from([32])]));
    const changed = await cli('export', 'penguins@1', '--out', join(work, 'bad.zip'), '--registry', copy);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/model\.json does not match its SHA-256 in manifest\.json/);
    expect(existsSync(join(work, 'bad.zip'))).toBe(false);
    const scored = await cli('score', '--model', 'penguins@1', '--data', `${DATA}/penguins.json`, '--out', join(work, 'bad.csv'), '--registry', copy);
    expect(scored.stderr).toMatch(/^millrace: penguins v1 \(.*\): model\.json does not match its SHA-256 in manifest\.json/);
    expect(existsSync(join(work, 'bad.csv'))).toBe(false);
    // A verdict flipped on disk does not pass a promotion: the version no longer matches its manifest.
    const review = join(copy, 'penguins', 'versions', '2', 'review.json');
    writeFileSync(review, readFileSync(review, 'utf8').replace('"passed": false', '"passed": true'));
    const flipped = await cli('promote', 'penguins', '2', '--alias', 'flipped', '--note', 'x', '--registry', copy);
    expect(flipped.status).toBe(1);
    expect(flipped.stderr).toBe(`millrace: penguins v2 (${join(copy, 'penguins', 'versions', '2')}): review.json does not match its SHA-256 in manifest.json (the file was changed); refused\n`);
    const notZip = await cli('import', join(work, 'recipe.json'), ...reg);
    expect(notZip.status).toBe(1);
    expect(notZip.stderr).toMatch(/recipe\.json is not a zip file; refused/);
  });
});

describe('registry arguments', () => {
  it('names a flag a command does not take, a bad model reference and a bad version', async () => {
    expect((await cli('promote', 'penguins', '1', '--note', 'x', '--rejects', 'r.csv', ...reg)).stderr).toBe('millrace: promote does not take --rejects; see millrace --help\n');
    expect((await cli('promote', 'penguins', 'latest', '--note', 'x', ...reg)).stderr).toBe('millrace: VERSION must be a version number (1, 2, … or v1, v2, …); got "latest"\n');
    const ref = await cli('score', '--model', 'penguins@my alias', '--data', `${DATA}/penguins.json`, '--out', join(work, 'x.csv'), ...reg);
    expect(ref.status).toBe(1);
    expect(ref.stderr).toMatch(/^millrace: --model "penguins@my alias": The alias "my alias" is not allowed.*\(expected NAME@ALIAS, NAME@VERSION or a model folder\)\n$/);
    expect((await cli('run', '--data', 'x.csv', '--target', 'y', '--out', 'z', '--register', 'bad name')).stderr).toMatch(/^millrace: The model name "bad name" is not allowed/);
    expect((await cli('check', '--data', 'x.csv', '--json')).stderr).toBe('millrace: check does not take --json; see millrace --help\n');
    expect((await cli('--help')).stdout).toContain('millrace score --model NAME@ALIAS|NAME@VERSION|DIR --data FILE --out FILE [--rejects FILE]');
  });
});
