// docs/pipeline.schema.json: the published JSON Schema is pipelineSchema() written out (npm run schema), it states
// the defaults parseSpec fills in, and an independent validator (Ajv, when installed) agrees with parseSpec.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HYPER_PARAMS, type HyperParam } from '../../../../src/lib/pipeline/spec/hyperparams.ts';
import { pipelineSchema, type JsonSchema } from '../../../../src/lib/pipeline/spec/schema.ts';
import { parseSpec } from '../../../../src/lib/pipeline/spec/validate.ts';
import { accepted, minimal, minimalFilled, refusals } from './cases.ts';

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const SCHEMA_FILE = root('docs/pipeline.schema.json');

describe('docs/pipeline.schema.json', () => {
  it('is pipelineSchema() as two-space JSON with a final newline', () => {
    const expected = JSON.stringify(pipelineSchema(), null, 2) + '\n';
    const actual = existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : '(missing)';
    expect(actual === expected, 'docs/pipeline.schema.json differs from pipelineSchema(): run npm run schema and commit the file').toBe(true);
  });

  it('is written by the npm script', () => {
    const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.schema).toBe('node bin/write-schema.mjs');
    expect(existsSync(root('bin/write-schema.mjs'))).toBe(true);
  });

  it('declares every hyper-parameter with its default, and every search-space key', () => {
    const model = pipelineSchema().properties!.model!;
    const space = model.properties!.search!.properties!.space!;
    for (const p of HYPER_PARAMS as readonly HyperParam[]) {
      expect(model.properties![p.key]?.default, p.key).toEqual(p.default);
      expect(space.properties![p.key]?.type, p.key).toBe('array');
    }
  });

  it('states the defaults parseSpec fills in', () => {
    // Build the filled-in minimal spec from the schema's defaults alone (objects with a default of {} filled recursively).
    const fill = (schema: JsonSchema, value: unknown): unknown => {
      if (value === undefined) value = structuredClone(schema.default);
      if (value && typeof value === 'object' && !Array.isArray(value) && schema.properties) {
        const out: Record<string, unknown> = {};
        for (const [key, sub] of Object.entries(schema.properties)) {
          const v = fill(sub, (value as Record<string, unknown>)[key]);
          if (v !== undefined) out[key] = v;
        }
        return out;
      }
      return value;
    };
    expect(fill(pipelineSchema(), minimal())).toEqual(minimalFilled());
  });
});

/** Ajv 8's draft 2020-12 validator, when one is installed (it comes with workbox-build); no dependency is added for it. */
const AJV_2020 = [root('node_modules/ajv/dist/2020.js'), root('node_modules/workbox-build/node_modules/ajv/dist/2020.js')].find((path) => {
  if (!existsSync(path)) return false;
  const pkg = JSON.parse(readFileSync(path.replace(/dist\/2020\.js$/, 'package.json'), 'utf8')) as { version: string };
  return Number(pkg.version.split('.')[0]) >= 8;
});

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

describe.skipIf(!AJV_2020)('an independent JSON Schema validator (Ajv, draft 2020-12) on docs/pipeline.schema.json', () => {
  const compile = async (): Promise<Validate> => {
    const mod = (await import(pathToFileURL(AJV_2020!).href)) as { default: { default?: unknown } };
    const Ajv2020 = (mod.default.default ?? mod.default) as new (options: object) => { compile(schema: unknown): Validate };
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as unknown;
    // strict: a keyword Ajv does not know, or a schema that is not a valid draft 2020-12 schema, throws here.
    return new Ajv2020({ strict: true, allowUnionTypes: true }).compile(schema);
  };

  it('accepts every spec parseSpec accepts, as given and filled in', async () => {
    const validate = await compile();
    for (const { name, spec } of accepted()) {
      expect(validate(spec), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate(parseSpec(spec)), `${name} filled in: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('refuses every spec parseSpec refuses on what the schema says (the rest are checked by parseSpec alone)', async () => {
    const validate = await compile();
    for (const { name, spec, schema } of refusals()) {
      expect(validate(spec), name).toBe(!schema);
    }
  });
});
