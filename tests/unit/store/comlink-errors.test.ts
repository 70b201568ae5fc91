// The Comlink 'throw' handler: AppError code, message and place survive a message-port hop.
import { afterEach, describe, expect, it } from 'vitest';
import { expose, wrap } from 'comlink';
import '../../../workers/comlink-errors.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function connect<T extends object>(api: T) {
  const channel = new MessageChannel();
  channels.push(channel);
  expose(api, channel.port1);
  return wrap<T>(channel.port2);
}

describe('comlink-errors', () => {
  it('rebuilds an AppError with its code and place', async () => {
    const remote = connect({
      fail(): void {
        throw new AppError('ragged-row', 'Row 3 has 9 fields; the header has 8', { file: 'a.csv', row: 3 });
      },
    });
    const error = await remote.fail().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'ragged-row',
      message: 'Row 3 has 9 fields; the header has 8',
      place: { file: 'a.csv', row: 3 },
    });
  });

  it('turns any other thrown value into a plain Error that says it was unexpected', async () => {
    const remote = connect({
      async fail(): Promise<void> {
        throw new TypeError('x is undefined');
      },
    });
    const error = await remote.fail().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect((error as Error).message).toBe('Unexpected error: x is undefined');
  });
});
