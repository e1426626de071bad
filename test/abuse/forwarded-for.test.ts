import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRADINGVIEW_WEBHOOK_ADDRESSES } from '../../main/engine/auth/client-address.js';
import { postOrder } from '../support/signed-order.js';
import { openUiSession } from '../support/ui-session.js';
import { type AbuseRig, startAbuseRig, VALID_ORDER } from './abuse-rig.js';

/**
 * A TradingView key restricted to TradingView's webhook addresses, against a real `apisify serve`.
 * Forwarded headers are anyone's to write: they count only on the tunnel's own listener, where only
 * the tunnel connects, and there only while proxy headers are trusted (the default). On the main port
 * every local program reaches the engine directly, and nothing it writes in a header is believed.
 */
const [TRADINGVIEW_ADDRESS = '', OTHER_TRADINGVIEW_ADDRESS = ''] = TRADINGVIEW_WEBHOOK_ADDRESSES;

let rig: AbuseRig;
let session: Record<string, string>;
let sent = 0;

beforeAll(async () => {
  rig = await startAbuseRig();
  session = (await openUiSession(rig.server.ui)).headers;
  // The default, said here so the test does not depend on it.
  await changeSettings({ tradingViewAddressCheck: true, trustProxyHeaders: true });
});
afterAll(() => rig?.stop());

async function changeSettings(changes: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${rig.server.url}/api/settings`, { method: 'PATCH', headers: { ...session, 'Content-Type': 'application/json' }, body: JSON.stringify(changes) });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(await response.json()).toMatchObject(changes);
}

/** A TradingView alert (the key alone, as text), each with its own memo so none is a resend of another. */
function alert(headers: Record<string, string>, base = rig.server.tunnelListener) {
  sent += 1;
  const body = JSON.stringify({ ...VALID_ORDER, strategy: 'test_strategy', memo: `alert ${sent}`, apikey: rig.tradingViewKey.apikey });
  return postOrder(`${base}/v1/order`, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

describe("on the tunnel's listener, with the defaults (address check on, proxy headers trusted there)", () => {
  it('takes the forwarded address, as a tunnel sets it', async () => {
    const forwarded = await alert({ 'X-Forwarded-For': TRADINGVIEW_ADDRESS });
    expect(forwarded.status, JSON.stringify(forwarded.body)).toBe(200);
    // Cloudflare appends the address it saw to what the sender wrote.
    const fromCloudflare = await alert({ 'X-Forwarded-For': `203.0.113.7, ${OTHER_TRADINGVIEW_ADDRESS}`, 'CF-Connecting-IP': OTHER_TRADINGVIEW_ADDRESS });
    expect(fromCloudflare.status, JSON.stringify(fromCloudflare.body)).toBe(200);
    expect(rig.orders().map((order) => order.memo)).toEqual([`alert ${sent - 1}`, `alert ${sent}`]);
  });

  it('refuses a forwarded address that is not TradingView, naming it', async () => {
    const call = await alert({ 'X-Forwarded-For': '203.0.113.7' });
    expect(call.status).toBe(403);
    expect(call.body.error).toMatchObject({ code: 'address_not_allowed', field: 'apikey' });
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

describe('on the main port, where local programs post directly', () => {
  it('does not check the address of a local TradingView key, and believes no forwarded header', async () => {
    const before = rig.orders().length;
    const local = await alert({}, rig.server.url);
    expect(local.status, JSON.stringify(local.body)).toBe(200);
    // A forwarded header on the main port changes nothing: the address is the socket's.
    const claimed = await alert({ 'X-Forwarded-For': '203.0.113.7' }, rig.server.url);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(rig.orders().length).toBe(before + 2);
  });
});

describe("on the tunnel's listener once proxy headers are no longer trusted", () => {
  beforeAll(() => changeSettings({ trustProxyHeaders: false }));

  it.each([
    ['no forwarded header', {}],
    ['X-Forwarded-For: a TradingView address', { 'X-Forwarded-For': TRADINGVIEW_ADDRESS }],
    ['X-Forwarded-For: two TradingView addresses', { 'X-Forwarded-For': `${TRADINGVIEW_ADDRESS}, ${OTHER_TRADINGVIEW_ADDRESS}` }],
    ['CF-Connecting-IP: a TradingView address', { 'CF-Connecting-IP': TRADINGVIEW_ADDRESS }],
    ['X-Real-IP: a TradingView address', { 'X-Real-IP': TRADINGVIEW_ADDRESS }],
    ['Forwarded: for= a TradingView address', { Forwarded: `for=${TRADINGVIEW_ADDRESS};proto=https` }],
    ['every forwarded header at once', { 'X-Forwarded-For': TRADINGVIEW_ADDRESS, 'CF-Connecting-IP': TRADINGVIEW_ADDRESS, 'X-Real-IP': TRADINGVIEW_ADDRESS, 'X-Forwarded-Proto': 'https' }],
  ])('%s: refused, judged by the socket address', async (_name, headers) => {
    const before = rig.orders().length;
    const call = await alert(headers);
    expect(call.status).toBe(403);
    expect(call.body.error).toMatchObject({ code: 'address_not_allowed', field: 'apikey' });
    expect(call.body.error?.message).toMatch(/TradingView's webhook addresses, not 127\.0\.0\.1$/);
    expect(rig.orders().length).toBe(before);
  });
});
