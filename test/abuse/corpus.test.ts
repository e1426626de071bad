import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSignedOrder } from '../support/signed-order.js';
import { type AbuseRig, startAbuseRig, VALID_ORDER } from './abuse-rig.js';
import { type CorpusCase, loadCorpus, requestFor } from './corpus.js';
import { sendRaw } from './raw-http.js';
import { refusalProblems, secretPieces } from './refusal-checks.js';

/** The kinds of bad input the order API must refuse; each has a file in test/abuse/corpus/. */
const REQUIRED_CATEGORIES = [
  'invalid-json',
  'wrong-types',
  'nan-infinity',
  'huge-negative-numbers',
  'exponent-strings',
  'empty-strings',
  'long-strings',
  'unicode',
  'arrays',
  'nested-objects',
  'prototype-keys',
  'duplicate-keys',
  'content-types',
  'missing-fields',
  'extra-fields',
  'methods',
  'hosts',
  'body-size',
  'shaping-fields',
  'shaping-limits',
];

const corpus = loadCorpus();

describe('the malformed-request corpus', () => {
  it('holds at least 200 requests, every category with several, every name once', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const categories = new Map<string, number>();
    for (const entry of corpus) categories.set(entry.category, (categories.get(entry.category) ?? 0) + 1);
    expect([...categories.keys()].sort()).toEqual([...REQUIRED_CATEGORIES].sort());
    for (const category of REQUIRED_CATEGORIES) expect(categories.get(category), category).toBeGreaterThanOrEqual(5);
    const names = corpus.map((entry) => `${entry.category}: ${entry.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('expects a 4xx of every request', () => {
    expect(corpus.filter((entry) => entry.expect.status < 400 || entry.expect.status > 499).map((entry) => entry.name)).toEqual([]);
  });
});

describe('the corpus against a real apisify serve with a live strategy', () => {
  let rig: AbuseRig;
  let secrets: string[];
  const answered = new Map<string, number>();

  beforeAll(async () => {
    rig = await startAbuseRig();
    secrets = secretPieces(rig.key.secret, rig.key.apikey, rig.tradingViewKey.apikey);
  });
  afterAll(() => rig?.stop());

  it.each(corpus.map((entry): [string, CorpusCase] => [`${entry.category}: ${entry.name}`, entry]))('%s', async (_name, entry) => {
    const request = requestFor(entry, VALID_ORDER, { orderUrl: rig.orderUrl, key: rig.key, tradingViewKey: rig.tradingViewKey });
    const response = await sendRaw(rig.server.url, request);
    answered.set(entry.path ?? '/v1/order', (answered.get(entry.path ?? '/v1/order') ?? 0) + 1);
    expect(refusalProblems(response, entry.expect, request.method, secrets), response.text.slice(0, 500)).toEqual([]);
  });

  it('sent nothing to the exchange and journaled nothing', () => {
    expect(answered.get('/v1/order')).toBeGreaterThan(200);
    expect(rig.exchangeRequests()).toBe(0);
    expect(rig.fake.createdOrders()).toEqual([]);
    expect(rig.journalRows()).toBe(0);
  });

  it('kept every refusal of /v1/order in the signal log', () => {
    expect(rig.refusedRows()).toBe(answered.get('/v1/order'));
  });

  it('is still up and places the next valid order on the exchange', async () => {
    expect(rig.server.process.exitCode).toBeNull();
    const call = await postSignedOrder(rig.server.url, rig.key, VALID_ORDER);
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order).toMatchObject({ status: 'filled', strategy: 'live', dry_run: false });
    expect(rig.fake.createdOrders()).toMatchObject([{ symbol: 'BTCUSDT', side: 'buy', type: 'market', qty: 0.01 }]);
    expect(rig.journalRows()).toBe(2);
    // Nothing the corpus sent made the server write a stack trace.
    expect(rig.server.stderr()).toBe('');
  });
});
