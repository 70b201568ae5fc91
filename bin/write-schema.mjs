#!/usr/bin/env node
// `npm run schema`: writes docs/pipeline.schema.json, the pipeline spec's JSON Schema, from pipelineSchema()
// (src/lib/pipeline/spec/schema.ts). tests/unit/pipeline/spec/schema-file.test.ts fails when the file is stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { pipelineSchema } = await import('../src/lib/pipeline/spec/schema.ts');
const file = fileURLToPath(new URL('../docs/pipeline.schema.json', import.meta.url));
await writeFile(file, JSON.stringify(pipelineSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${file}\n`);
