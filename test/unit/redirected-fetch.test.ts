import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectedFetch } from '../../main/engine/exchanges/ccxt/ccxt-exchange.js';

let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (req.url?.includes('stall')) {
      // Headers and half a body, then nothing: as a connection that hangs mid-answer.
      res.write('{"retCode":0,');
      return;
    }
    res.end('{"retCode":0}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('redirectedFetch', () => {
  it("sends ccxt's request to the base, keeping the exchange's path and query", async () => {
    const answer = await redirectedFetch(base, 2_000)('https://api.bybit.com/v5/order/realtime?symbol=BTCUSDT', { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"retCode":0}');
    expect(seen.at(-1)).toBe('GET /prefix/v5/order/realtime?symbol=BTCUSDT');
  });

  it('gives up on a body that stalls after the headers, within the timeout (ccxt times only the headers)', async () => {
    const started = performance.now();
    const answer = await redirectedFetch(base, 300)('https://api.bybit.com/v5/order/create?stall=1', { method: 'POST', body: '{}' });
    expect(answer.status).toBe(200);
    await expect(answer.text()).rejects.toThrow(/did not arrive within 300 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
