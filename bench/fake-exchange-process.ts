import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeReport, FromFake, StartFake, ToFake } from './fake-exchange-messages.js';

/** Built by bench/tsconfig.json (the app's build leaves test code out). */
const FAKE_MAIN = fileURLToPath(new URL('./fake-exchange/test/fake-exchange/process.js', import.meta.url));

export interface FakeExchangeProcess {
  url: string;
  pid: number;
  report(path: string): Promise<Omit<FakeReport, 'type'>>;
  close(): Promise<void>;
}

/** Starts the fake exchange in its own process (its CPU is not the engine's) and waits until it listens. */
export async function startFakeExchangeProcess(start: Omit<StartFake, 'type'>, nodeArgs: string[] = []): Promise<FakeExchangeProcess> {
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
  const ready = await ask({ type: 'start', ...start }, 'ready');
  return {
    url: ready.url,
    pid: child.pid as number,
    async report(path) {
      const { type: _type, ...report } = await ask({ type: 'report', path }, 'report');
      return report;
    },
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
