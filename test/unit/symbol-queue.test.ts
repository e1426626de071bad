// Orders on one symbol leave in arrival order; one whose plan reads what earlier ones change waits for
// their answers, one that reads nothing of theirs only for their leaving.

import { describe, expect, it } from 'vitest';
import { SymbolQueue } from '../../main/engine/orders/symbol-queue.js';

/** A task that records when it starts, and leaves and finishes when told. */
function controlled(name: string, log: string[]) {
  let leave: () => void = () => undefined;
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const task = async (left: () => void) => {
    log.push(`${name} starts`);
    leave = left;
    await done;
    log.push(`${name} ends`);
    return name;
  };
  return { task, leave: () => leave(), finish: () => finish(), fail: (error: Error) => fail(error) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SymbolQueue', () => {
  it('an order that reads nothing of earlier ones starts once they left, before their answers', async () => {
    const queue = new SymbolQueue();
    const log: string[] = [];
    const first = controlled('first', log);
    const second = controlled('second', log);
    const running = [queue.run('BTC', 'answered', first.task), queue.run('BTC', 'left', second.task)];
    await settle();
    expect(log).toEqual(['first starts']);
    first.leave();
    await settle();
    expect(log).toEqual(['first starts', 'second starts']);
    second.finish();
    first.finish();
    expect(await Promise.all(running)).toEqual(['first', 'second']);
  });

  it('an order that reads the position waits for every earlier answer, a later plain one for its leaving', async () => {
    const queue = new SymbolQueue();
    const log: string[] = [];
    const [buy, again, close, after] = ['buy', 'again', 'close', 'after'].map((name) => controlled(name, log)) as [ReturnType<typeof controlled>, ReturnType<typeof controlled>, ReturnType<typeof controlled>, ReturnType<typeof controlled>];
    const running = [queue.run('BTC', 'left', buy.task), queue.run('BTC', 'left', again.task), queue.run('BTC', 'answered', close.task), queue.run('BTC', 'left', after.task)];
    await settle();
    buy.leave();
    await settle();
    again.leave();
    buy.finish();
    await settle();
    // `again` has left but not finished: the Close still waits
    expect(log).toEqual(['buy starts', 'again starts', 'buy ends']);
    again.finish();
    await settle();
    expect(log.slice(3)).toEqual(['again ends', 'close starts']);
    // and the plain order after the Close waits for the Close to leave
    close.leave();
    await settle();
    expect(log.slice(5)).toEqual(['after starts']);
    close.finish();
    after.finish();
    await Promise.all(running);
  });

  it('a task that fails, or finishes without leaving, releases the ones after it', async () => {
    const queue = new SymbolQueue();
    const log: string[] = [];
    const failing = controlled('failing', log);
    const quiet = controlled('quiet', log);
    const last = controlled('last', log);
    const failed = queue.run('BTC', 'left', failing.task);
    const running = [queue.run('BTC', 'left', quiet.task), queue.run('BTC', 'answered', last.task)];
    failing.fail(new Error('refused'));
    await expect(failed).rejects.toThrow('refused');
    await settle();
    expect(log).toEqual(['failing starts', 'quiet starts']);
    quiet.finish();
    await settle();
    expect(log).toEqual(['failing starts', 'quiet starts', 'quiet ends', 'last starts']);
    last.finish();
    await Promise.all(running);
  });

  it('different symbols run side by side, and drain waits for every task', async () => {
    const queue = new SymbolQueue();
    const log: string[] = [];
    const btc = controlled('btc', log);
    const eth = controlled('eth', log);
    const running = [queue.run('BTC', 'answered', btc.task), queue.run('ETH', 'answered', eth.task)];
    await settle();
    expect(log).toEqual(['btc starts', 'eth starts']);
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    btc.finish();
    await settle();
    expect(drained).toBe(false);
    eth.finish();
    await draining;
    await Promise.all(running);
  });
});
