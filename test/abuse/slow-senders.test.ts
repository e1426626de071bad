import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedOrder, signatureFor } from '../support/signed-order.js';
import { type AbuseRig, startAbuseRig, VALID_ORDER } from './abuse-rig.js';

/**
 * Slow senders against a real `apisify serve` (main/engine/engine.ts: headers within 5 s, the whole
 * request within 10 s, checked every second): a client that stalls is cut off with a 408 in bounded
 * time, and everyone else is served meanwhile.
 */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Node checks its connections once a second; allow that plus a loaded two-core machine. */
const SLACK_MS = 3_000;

let rig: AbuseRig;
let host: string;
let lastTimestamp = 0;

beforeAll(async () => {
  rig = await startAbuseRig();
  host = new URL(rig.server.url).host;
});
afterAll(() => rig?.stop());

interface Outcome {
  /** When the server closed the connection, in ms after it opened; null if it never did. */
  closedAfterMs: number | null;
  received: string;
}

/**
 * Writes `head` at once, then one piece every `everyMs` for as long as the server listens. Gives up
 * (closedAfterMs null) after `giveUpMs`, so a server that never cuts it off fails the test rather than hangs it.
 */
function slowSend(head: string, pieces: string[], everyMs: number, giveUpMs = REQUEST_TIMEOUT_MS + 3 * SLACK_MS): Promise<Outcome> {
  const { hostname, port } = new URL(rig.server.url);
  return new Promise((resolve) => {
    const opened = Date.now();
    let received = '';
    let next = 0;
    const socket = connect(Number(port), hostname);
    const ticker = setInterval(() => {
      if (next < pieces.length && socket.writable) socket.write(pieces[next++] as string);
    }, everyMs);
    const giveUp = setTimeout(() => finish(null), giveUpMs);
    function finish(closedAfterMs: number | null) {
      clearInterval(ticker);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, received });
    }
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(Date.now() - opened));
    socket.write(head);
  });
}

function signedBody(fields: Record<string, unknown>): string {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return JSON.stringify({ ...fields, apikey: rig.key.apikey, timestamp: lastTimestamp, sign: signatureFor(rig.key.secret, lastTimestamp, rig.orderUrl) });
}

function postHead(contentLength: number | 'chunked', extra = ''): string {
  const length = contentLength === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${contentLength}`;
  return `POST /v1/order HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n${length}\r\n${extra}\r\n`;
}

function expectCutOff(outcome: Outcome, limitMs: number): void {
  expect(outcome.received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(outcome.closedAfterMs).not.toBeNull();
  expect(outcome.closedAfterMs as number).toBeGreaterThanOrEqual(limitMs - 500);
  expect(outcome.closedAfterMs as number).toBeLessThanOrEqual(limitMs + SLACK_MS);
}

describe('slow senders', () => {
  it('cuts off a sender that stalls, whatever it stalls on, and answers everyone else meanwhile', async () => {
    // A valid live order, one byte every 400 ms: it would take a minute and a half to arrive.
    const order = signedBody(VALID_ORDER);
    const stalls = Promise.all([
      slowSend(postHead(Buffer.byteLength(order)), [...order], 400),
      slowSend(postHead(200), [], 1_000),
      slowSend(`POST /v1/order HTTP/1.1\r\nHost: ${host}\r\n`, Array.from({ length: 200 }, (_, index) => `X-Slow-${index}: 1\r\n`), 400),
      // A crowd of slowloris connections, each stuck inside its request line.
      ...Array.from({ length: 30 }, () => slowSend('POST /v1/ord', [], 1_000)),
    ]);

    const started = Date.now();
    const others: { status: number; ms: number }[] = [];
    for (const at of [500, 3_000, 6_000, 9_000]) {
      await sleep(Math.max(0, started + at - Date.now()));
      const sent = Date.now();
      const call = await postSignedOrder(rig.server.url, rig.key, { ...VALID_ORDER, strategy: 'test_strategy', memo: `served at ${at} ms` });
      others.push({ status: call.status, ms: Date.now() - sent });
    }

    const [trickledBody, noBody, trickledHeaders, ...crowd] = await stalls;
    expectCutOff(trickledBody as Outcome, REQUEST_TIMEOUT_MS);
    expectCutOff(noBody as Outcome, REQUEST_TIMEOUT_MS);
    expectCutOff(trickledHeaders as Outcome, HEADERS_TIMEOUT_MS);
    for (const outcome of crowd) expectCutOff(outcome, HEADERS_TIMEOUT_MS);
    for (const other of others) {
      expect(other.status).toBe(200);
      expect(other.ms).toBeLessThan(2_000);
    }

    // The stalled live order went nowhere (the dry-run orders only asked the exchange for a price);
    // the two cut off mid-body are in the signal log as 408.
    expect(rig.fake.createdOrders()).toEqual([]);
    expect(rig.fake.requestCount('/v5/order/create')).toBe(0);
    expect(rig.orders().map((order) => order.strategy)).toEqual(['test_strategy', 'test_strategy', 'test_strategy', 'test_strategy']);
    // The server writes the signal log entry after the socket is gone, so the client may see the close first.
    await expect.poll(() => rig.refused(2)).toEqual([
      { status: 408, code: 'request_timeout', field: null },
      { status: 408, code: 'request_timeout', field: null },
    ]);
  }, 40_000);

  it('serves a sender that is slow but finishes in time', async () => {
    const order = signedBody({ ...VALID_ORDER, strategy: 'test_strategy', memo: 'slow but in time' });
    const pieces = Array.from({ length: 5 }, (_, index) => order.slice((index * order.length) / 5, ((index + 1) * order.length) / 5));
    const outcome = await slowSend(postHead(Buffer.byteLength(order), 'Connection: close\r\n'), pieces, 400, 8_000);
    expect(outcome.closedAfterMs).not.toBeNull();
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(outcome.received).toContain('"ok":true');
    expect(rig.orders().at(-1)).toMatchObject({ memo: 'slow but in time', status: 'filled' });
  });

  it('refuses a body over 16 KiB with 413 and closes the connection, declared or streamed', async () => {
    const declared = await slowSend(postHead(20_000), [], 1_000, 5_000);
    expect(declared.received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(declared.received).toMatch(/\r\nConnection: close\r\n/);
    expect(declared.received).toContain('"code":"body_too_large"');
    expect(declared.closedAfterMs).toBeLessThan(2_000);

    // Chunked: no length up front, so the limit is found while reading.
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const streamed = await slowSend(postHead('chunked'), [chunk(`{"memo":"${'x'.repeat(8_000)}`), chunk('x'.repeat(8_000)), chunk('x'.repeat(8_000))], 200, 5_000);
    expect(streamed.received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(streamed.received).toMatch(/\r\nConnection: close\r\n/);
    expect(streamed.closedAfterMs).toBeLessThan(3_000);
  });

  it('logged the cut-off connections as warnings, not as server failures, and printed nothing', () => {
    const lines = rig.logLines();
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.some((line) => line.message === 'client connection failed' && line['code'] === 'ERR_HTTP_REQUEST_TIMEOUT')).toBe(true);
    expect(rig.server.stderr()).toBe('');
    expect(rig.server.process.exitCode).toBeNull();
  });
});
