// The one place stale replies are dropped: a Channel of the worker clients rejects superseded calls with 'stale'.
import { describe, expect, it } from 'vitest';
import { Channel, isStale } from '../../../src/lib/workers-client/latest.ts';
import { AppError } from '../../../src/lib/pipeline/errors.ts';
import { deferred } from './fakes.ts';

describe('Channel', () => {
  it('latest: a newer call makes the older reply stale, whichever answers first', async () => {
    const channel = new Channel('gate');
    const first = deferred<string>();
    const second = deferred<string>();
    const a = channel.latest(() => first.promise);
    const b = channel.latest(() => second.promise);
    second.resolve('new');
    first.resolve('old');
    await expect(b).resolves.toBe('new');
    const error = await a.catch((e: unknown) => e);
    expect(isStale(error)).toBe(true);
    expect(error).toMatchObject({ code: 'stale', message: 'A newer request on "gate" replaced this one' });
  });

  it('latest: a superseded failure is stale too, a current failure arrives as it is', async () => {
    const channel = new Channel('plan');
    const old = channel.latest(() => Promise.reject(new AppError('not-found', 'gone')));
    const current = channel.latest(() => Promise.reject(new AppError('bad-argument', 'no target')));
    expect(isStale(await old.catch((e: unknown) => e))).toBe(true);
    await expect(current).rejects.toMatchObject({ code: 'bad-argument', message: 'no target' });
  });

  it('join: calls of one subject run side by side until supersede makes all of them stale', async () => {
    const channel = new Channel('rows');
    const blocks = [deferred<number>(), deferred<number>(), deferred<number>()];
    const a = channel.join(() => blocks[0]!.promise);
    const b = channel.join(() => blocks[1]!.promise);
    blocks[1]!.resolve(1);
    blocks[0]!.resolve(0);
    await expect(Promise.all([a, b])).resolves.toEqual([0, 1]);
    const c = channel.join(() => blocks[2]!.promise);
    channel.supersede();
    blocks[2]!.resolve(2);
    expect(isStale(await c.catch((e: unknown) => e))).toBe(true);
    // After supersede, new calls count again.
    await expect(channel.join(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('a call that throws before returning a promise rejects like one that fails', async () => {
    const channel = new Channel('x');
    await expect(
      channel.latest(() => {
        throw new AppError('bad-argument', 'thrown');
      }),
    ).rejects.toMatchObject({ code: 'bad-argument' });
    expect(isStale(new Error('stale'))).toBe(false);
  });
});
