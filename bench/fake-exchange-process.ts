import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ArrivedRequest, FakeReport, FromFake, StartFake, ToFake } from './fake-exchange-messages.js';

/** Built by bench/tsconfig.json (the app's build leaves test code out). */
const FAKE_MAIN = fileURLToPath(new URL('./fake-exchange/test/fake-exchange/process.js', import.meta.url));

export interface FakeExchangeProcess {
  url: string;
  pid: number;
  report(path: string): Promise<Omit<FakeReport, 'type'>>;
  /** The requests received from the `since`-th on. */
  requests(since: number): Promise<ArrivedRequest[]>;
  close(): Promise<void>;
}

/** What a `start` may add: the fake's own options (test/fake-exchange/process.ts), not imported so the app's build never compiles test code. */
export interface FakeOptions {
  rateLimits?: 'off' | 'published';
  roundTripMs?: number;
  extraMarkets?: number;
}

/** Starts the fake exchange in its own process (its CPU is not the engine's) and waits until it listens. */
export async function startFakeExchangeProcess(start: Omit<StartFake, 'type'> & FakeOptions, nodeArgs: string[] = []): Promise<FakeExchangeProcess> {
  const child = fork(FAKE_MAIN, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: nodeArgs });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ask = <T extends FromFake['type']>(message: ToFake, answer: T) =>
    new Promise<Extract<FromFake, { type: T }>>((resolve, reject) => {
      const onMessage = (reply: FromFake) => {
        if (reply.type !== answer) return;
        child.off('message', onMessage);
        resolve(reply as Extract<FromFake, { type: T }>);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error('the fake exchange process exited')));
      child.send(message);
    });
  const ready = await ask({ type: 'start', ...start } as ToFake, 'ready');
  return {
    url: ready.url,
    pid: child.pid as number,
    async report(path) {
      const { type: _type, ...report } = await ask({ type: 'report', path }, 'report');
      return report;
    },
    async requests(since) {
      return (await ask({ type: 'requests', since }, 'requests')).requests;
    },
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
