import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { NetworkError } from 'ccxt';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCcxtExchange } from '../../main/engine/exchanges/ccxt/ccxt-exchange.js';
import { exchangeFetch } from '../../main/engine/exchanges/ccxt/exchange-fetch.js';
import { type AnswerArrival, timingAnswer } from '../../main/engine/exchanges/scheduling/answer-arrival.js';

let server: Server;
let origin = '';
const seen: string[] = [];
const acceptEncodings: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    acceptEncodings.push(req.headers['accept-encoding']);
    if (req.url?.includes('gzipped')) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(gzipSync('{"retCode":0,"result":"inflated"}'));
      return;
    }
    if (req.url?.includes('trickle')) {
      // a long body in chunks 100 ms apart: slow, never stalled
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent < 6) res.write(sent === 1 ? '{"n":"' : 'x');
        else {
          clearInterval(timer);
          res.end('"}');
        }
      }, 100);
      return;
    }
    if (req.url?.includes('moved')) {
      res.writeHead(301, { Location: 'https://elsewhere.example/v5/order/create' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (req.url?.includes('stall')) {
      // Headers and half a body, then nothing: as a connection that hangs mid-answer.
      res.write('{"retCode":0,');
      return;
    }
    if (req.url?.includes('slow-body')) {
      // The headers at once, the rest of the body a while later.
      res.write('{"retCode":0,');
      setTimeout(() => res.end('"x":1}'), 150);
      return;
    }
    res.end('{"retCode":0}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('exchangeFetch', () => {
  it("with a base URL: sends ccxt's request to the base, keeping the exchange's path and query", async () => {
    const answer = await exchangeFetch(`${origin}/prefix`, 2_000)('https://api.bybit.com/v5/order/realtime?symbol=BTCUSDT', { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"retCode":0}');
    expect(seen.at(-1)).toBe('GET /prefix/v5/order/realtime?symbol=BTCUSDT');
  });

  it('without one: sends it to the URL ccxt built, as is', async () => {
    const answer = await exchangeFetch(null, 2_000)(`${origin}/v5/order/create?x=1`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"retCode":0}');
    expect(seen.at(-1)).toBe('POST /v5/order/create?x=1');
  });

  it('refuses a URL that is not http or https', async () => {
    await expect(exchangeFetch(null, 2_000)('ftp://127.0.0.1/x', { method: 'GET' })).rejects.toThrow(/http or https, not ftp:/);
  });

  it('refuses a redirect as a failed request, following nothing; through ccxt, a NetworkError that says why', async () => {
    const count = seen.length;
    const sent = exchangeFetch(null, 2_000)(`${origin}/moved`, { method: 'POST', body: '{}' });
    await expect(sent).rejects.toThrow(TypeError);
    await expect(sent.catch((error: Error) => (error.cause as Error).message)).resolves.toMatch(/answered 301, a redirect, which is not followed/);
    expect(seen.slice(count)).toEqual(['POST /moved']);

    const instance = await createCcxtExchange({ exchange: 'bybit', marketType: 'swap', credentials: null, baseUrl: `${origin}/moved`, timeoutMs: 2_000, budget: null });
    try {
      const refused = instance.fetchTime();
      await expect(refused).rejects.toThrow(NetworkError);
      await expect(refused).rejects.toThrow(/redirect, which is not followed/);
    } finally {
      await instance.close();
    }
  });

  it('asks for a compressed answer, as ccxt does, and inflates it', async () => {
    const answer = await exchangeFetch(null, 2_000)(`${origin}/gzipped`, { method: 'GET', headers: { 'X-BAPI-API-KEY': 'k' } });
    expect(acceptEncodings.at(-1)).toBe('gzip, deflate, br');
    expect(await answer.text()).toBe('{"retCode":0,"result":"inflated"}');
    // one ccxt already set is kept
    await exchangeFetch(null, 2_000)(`${origin}/plain`, { method: 'GET', headers: { 'accept-encoding': 'identity' } });
    expect(acceptEncodings.at(-1)).toBe('identity');
  });

  it('takes a slow body that keeps coming: the timeout is on a stall, not on the whole download', async () => {
    const answer = await exchangeFetch(null, 300)(`${origin}/trickle`, { method: 'GET' });
    expect(await answer.text()).toBe('{"n":"xxxx"}');
  });

  it('gives up on a body that stalls after the headers, within the timeout (ccxt times only the headers)', async () => {
    for (const base of [`${origin}/prefix`, null]) {
      const started = performance.now();
      const answer = await exchangeFetch(base, 300)(`${base === null ? origin : 'https://api.bybit.com'}/v5/order/create?stall=1`, { method: 'POST', body: '{}' });
      expect(answer.status).toBe(200);
      await expect(answer.text()).rejects.toThrow(/nothing more of the answer's body arrived within 300 ms/);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });

  it('notes when the answer arrived for a timed request: at its headers, before its body was read', async () => {
    const before = performance.now();
    const arrival: AnswerArrival = { at: undefined };
    const answer = await timingAnswer(arrival, () => exchangeFetch(null, 2_000)(`${origin}/slow-body`, { method: 'GET' }));
    const headersAt = arrival.at;
    expect(headersAt).toBeGreaterThanOrEqual(before);
    expect(await answer.text()).toBe('{"retCode":0,"x":1}');
    // the body came ~150 ms after the headers: the arrival is the headers', and stays so
    expect(performance.now() - (headersAt as number)).toBeGreaterThan(100);
    expect(arrival.at).toBe(headersAt);
  });
});
