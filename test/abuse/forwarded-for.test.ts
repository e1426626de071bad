import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRADINGVIEW_WEBHOOK_ADDRESSES } from '../../main/engine/auth/client-address.js';
import { postOrder } from '../support/signed-order.js';
import { openUiSession } from '../support/ui-session.js';
import { type AbuseRig, startAbuseRig, VALID_ORDER } from './abuse-rig.js';

/**
 * A TradingView key restricted to TradingView's webhook addresses, against a real `apisify serve`.
 * Forwarded headers are anyone's to write: they count only once the user says a tunnel in front
 * sets them (DESIGN.md "Keep app.proxy off and read forwarded headers only where ... trusted").
 */
const [TRADINGVIEW_ADDRESS = '', OTHER_TRADINGVIEW_ADDRESS = ''] = TRADINGVIEW_WEBHOOK_ADDRESSES;

let rig: AbuseRig;
let session: Record<string, string>;
let sent = 0;

beforeAll(async () => {
  rig = await startAbuseRig();
  session = (await openUiSession(rig.server.ui)).headers;
  await changeSettings({ tradingViewAddressCheck: true });
});
afterAll(() => rig?.stop());

async function changeSettings(changes: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${rig.server.url}/api/settings`, { method: 'PATCH', headers: { ...session, 'Content-Type': 'application/json' }, body: JSON.stringify(changes) });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(await response.json()).toMatchObject(changes);
}

/** A TradingView alert (the key alone, as text), each with its own memo so none is a resend of another. */
function alert(headers: Record<string, string>) {
  sent += 1;
  const body = JSON.stringify({ ...VALID_ORDER, strategy: 'test_strategy', memo: `alert ${sent}`, apikey: rig.tradingViewKey.apikey });
  return postOrder(rig.orderUrl, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

describe('the TradingView address check, proxy headers not trusted (the default)', () => {
  it.each([
    ['no forwarded header', {}],
    ['X-Forwarded-For: a TradingView address', { 'X-Forwarded-For': TRADINGVIEW_ADDRESS }],
    ['X-Forwarded-For: two TradingView addresses', { 'X-Forwarded-For': `${TRADINGVIEW_ADDRESS}, ${OTHER_TRADINGVIEW_ADDRESS}` }],
    ['CF-Connecting-IP: a TradingView address', { 'CF-Connecting-IP': TRADINGVIEW_ADDRESS }],
    ['X-Real-IP: a TradingView address', { 'X-Real-IP': TRADINGVIEW_ADDRESS }],
    ['Forwarded: for= a TradingView address', { Forwarded: `for=${TRADINGVIEW_ADDRESS};proto=https` }],
    ['every forwarded header at once', { 'X-Forwarded-For': TRADINGVIEW_ADDRESS, 'CF-Connecting-IP': TRADINGVIEW_ADDRESS, 'X-Real-IP': TRADINGVIEW_ADDRESS, 'X-Forwarded-Proto': 'https' }],
  ])('%s: refused, judged by the socket address', async (_name, headers) => {
    const call = await alert(headers);
    expect(call.status).toBe(403);
    expect(call.body.error).toMatchObject({ code: 'address_not_allowed', field: 'apikey' });
    expect(call.body.error?.message).toMatch(/TradingView's webhook addresses, not 127\.0\.0\.1$/);
  });

  it('journaled none of them and sent nothing anywhere', () => {
    expect(rig.orders()).toEqual([]);
    expect(rig.fake.requestCount()).toBe(0);
  });
});

describe('the TradingView address check once the user trusts proxy headers (behind a tunnel)', () => {
  beforeAll(() => changeSettings({ trustProxyHeaders: true }));

  it('takes the forwarded address, as a tunnel sets it', async () => {
    const forwarded = await alert({ 'X-Forwarded-For': TRADINGVIEW_ADDRESS });
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    // Cloudflare appends the address it saw to what the sender wrote.
    const fromCloudflare = await alert({ 'X-Forwarded-For': `203.0.113.7, ${OTHER_TRADINGVIEW_ADDRESS}`, 'CF-Connecting-IP': OTHER_TRADINGVIEW_ADDRESS });
    expect(fromCloudflare.status, JSON.stringify(fromCloudflare.body)).toBe(200);
    expect(rig.orders().map((order) => order.memo)).toEqual([`alert ${sent - 1}`, `alert ${sent}`]);
  });

  it('still refuses a forwarded address that is not TradingView, naming it', async () => {
    const call = await alert({ 'X-Forwarded-For': '203.0.113.7' });
    expect(call.status).toBe(403);
    expect(call.body.error?.message).toMatch(/not 203\.0\.113\.7$/);
  });

  it('does not believe a CF-Connecting-IP the sender wrote (a proxy other than Cloudflare passes it on unchanged)', async () => {
    const call = await alert({ 'CF-Connecting-IP': TRADINGVIEW_ADDRESS, 'X-Forwarded-For': '203.0.113.7' });
    expect(call.status).toBe(403);
    expect(call.body.error?.message).toMatch(/not 203\.0\.113\.7$/);
    // Without an X-Forwarded-For, the address is the proxy's own socket address, never that header.
    const alone = await alert({ 'CF-Connecting-IP': TRADINGVIEW_ADDRESS });
    expect(alone.status).toBe(403);
    expect(alone.body.error?.message).toMatch(/not 127\.0\.0\.1$/);
  });

  it('believes only the X-Forwarded-For entry the proxy added, not one the sender put before it', async () => {
    // The sender wrote a TradingView address; the proxy appended the address it really saw.
    const call = await alert({ 'X-Forwarded-For': `${TRADINGVIEW_ADDRESS}, 203.0.113.7` });
    expect(call.status).toBe(403);
    expect(call.body.error?.message).toMatch(/not 203\.0\.113\.7$/);
  });

  it('reads no other forwarded header (X-Real-IP, Forwarded, CF-Connecting-IP)', async () => {
    expect((await alert({ 'X-Real-IP': TRADINGVIEW_ADDRESS })).status).toBe(403);
    expect((await alert({ Forwarded: `for=${TRADINGVIEW_ADDRESS}` })).status).toBe(403);
  });
});
