// The floor under the exchange edge's figures: what two loopback hops cost on this machine with no
// engine between them. A process of its own that takes a POST, reads its body, and at once sends one
// create-shaped request to the fake exchange (kept-alive node:http, as the engine's transport), then
// answers. The bench times it exactly as it times the engine: request handed to the socket to the
// create arriving at the fake. What the engine adds is its figure less this one.

import { fork } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

interface StartRelay {
  type: 'start';
  /** Where the fake's creates go, e.g. http://127.0.0.1:4100/v5/order/create */
  target: string;
  /** `json` (Bybit) or `form` (Binance): how the client order id is put in the relayed body. */
  encoding: 'json' | 'form';
}

interface RelayReady {
  type: 'ready';
  url: string;
}

export interface LoopbackRelay {
  url: string;
  close(): Promise<void>;
}

const RELAY_ARG = '--loopback-relay';

/** Starts the relay in its own process (its CPU is not the bench's) and waits until it listens. */
export async function startLoopbackRelay(target: string, encoding: StartRelay['encoding']): Promise<LoopbackRelay> {
  const child = fork(fileURLToPath(import.meta.url), [RELAY_ARG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<RelayReady>((resolve, reject) => {
    child.once('message', (message: RelayReady) => resolve(message));
    void exited.then(() => reject(new Error('the loopback relay exited before it listened')));
    child.send({ type: 'start', target, encoding } satisfies StartRelay);
  });
  return {
    url: ready.url,
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** The relay's side: every POST's `clientOrderId` goes on to `target` as the exchange's own field. */
function relay(start: StartRelay): Promise<string> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(start.target);
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const { clientOrderId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { clientOrderId: string };
      const body = start.encoding === 'json' ? JSON.stringify({ orderLinkId: clientOrderId }) : `newClientOrderId=${encodeURIComponent(clientOrderId)}`;
      const contentType = start.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
      const call = request(target, { method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } }, (response) => {
        response.resume();
        response.on('end', () => answer.end('{}'));
      });
      call.on('error', () => answer.end('{}'));
      call.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

if (process.argv.includes(RELAY_ARG)) {
  process.once('message', (message: StartRelay) => {
    void relay(message).then((url) => process.send?.({ type: 'ready', url } satisfies RelayReady));
  });
  process.on('disconnect', () => process.exit(0));
}
