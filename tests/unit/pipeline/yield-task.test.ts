// yieldTask: queued tasks run before it resolves, and in Node a process awaiting it neither exits early (exit 13) nor is kept alive after.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { yieldTask } from '../../../src/lib/pipeline/yield-task.ts';

const TSX = join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs');

describe('yieldTask', () => {
  it('resolves after a task queued before it, in order when several wait', async () => {
    const seen: string[] = [];
    setTimeout(() => seen.push('timer'), 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const channel = new MessageChannel();
    channel.port1.onmessage = () => seen.push('message');
    channel.port2.postMessage(null);
    await Promise.all([yieldTask().then(() => seen.push('first')), yieldTask().then(() => seen.push('second'))]);
    channel.port1.close();
    expect(seen).toEqual(['timer', 'message', 'first', 'second']);
  });

  it('keeps a Node process alive while awaited at the top level, and lets it exit once nothing waits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'millrace-yield-'));
    const script = join(dir, 'yields.mts');
    const module = join(process.cwd(), 'src/lib/pipeline/yield-task.ts');
    writeFileSync(script, `import { yieldTask } from ${JSON.stringify(module)};\nfor (let k = 0; k < 50; k++) await yieldTask();\nconsole.log('done');\n`);
    const run = spawnSync(process.execPath, ['--import', TSX, script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('done');
  });
});
