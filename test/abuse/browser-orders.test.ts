import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder } from '../support/signed-order.js';
import { type AbuseRig, startAbuseRig, VALID_ORDER } from './abuse-rig.js';

/**
 * A web page that knows a TradingView key (they end up in alert templates, screenshots, shared
 * scripts) and posts orders from the user's browser, in the three ways that need no CORS permission.
 * Each is a real order that a program could place: only the browser's own headers tell them apart.
 */
let rig: AbuseRig;
let browser: Browser;
let page: Server;
let pageUrl = '';

function pageScript(orderUrl: string, apikey: string): string {
  const body = (memo: string) => JSON.stringify({ ...VALID_ORDER, memo, apikey });
  return `
    const url = ${JSON.stringify(orderUrl)};
    (async () => {
      await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(body('no-cors fetch'))} }).catch(() => undefined);
      navigator.sendBeacon(url, new Blob([${JSON.stringify(body('beacon'))}], { type: 'text/plain' }));
      // enctype=text/plain writes name=value: the name is the JSON up to a string's opening quote, the value closes it.
      const json = ${JSON.stringify(body('form'))};
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = url;
      form.enctype = 'text/plain';
      form.target = 'sink';
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = json.slice(0, -2) + '=';
      input.value = '"}';
      form.appendChild(input);
      const frame = document.createElement('iframe');
      frame.name = 'sink';
      document.body.append(frame, form);
      await new Promise((resolve) => { frame.addEventListener('load', resolve); form.submit(); setTimeout(resolve, 4000); });
      window.done = true;
    })();
  `;
}

beforeAll(async () => {
  rig = await startAbuseRig();
  page = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(`<!doctype html><title>a page elsewhere</title><body><script>${pageScript(rig.orderUrl, rig.tradingViewKey.apikey)}</script></body>`);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  browser = await launchChromium(['--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks']);
});
afterAll(async () => {
  await browser?.close();
  page?.closeAllConnections();
  await new Promise((resolve) => page?.close(resolve));
  await rig?.stop();
});

describe('orders posted by a web page with a known TradingView key', () => {
  it('are refused with 403 browser_request, and reach no exchange', async () => {
    const refusedBefore = rig.refusedRows();
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const statuses: number[] = [];
      tab.on('response', (response) => {
        if (response.url() === rig.orderUrl) statuses.push(response.status());
      });
      await tab.goto(pageUrl);
      await tab.waitForFunction('window.done === true', null, { timeout: 20_000 });
      // The beacon is sent in the background: wait for all three to be refused.
      await expect.poll(() => rig.refusedRows() - refusedBefore, { timeout: 10_000 }).toBe(3);
      expect(statuses.filter((status) => status !== 403)).toEqual([]);
    } finally {
      await context.close();
    }
    expect(rig.refused(3).map((row) => [row.status, row.code])).toEqual([
      [403, 'browser_request'],
      [403, 'browser_request'],
      [403, 'browser_request'],
    ]);
    expect(rig.orders()).toEqual([]);
    expect(rig.exchangeRequests()).toBe(0);
  });

  it('names the header in the refusal; the same order from a program is placed', async () => {
    const body = (memo: string) => JSON.stringify({ ...VALID_ORDER, memo, apikey: rig.tradingViewKey.apikey });
    const foreign = await postOrder(rig.orderUrl, body('foreign origin'), { 'Content-Type': 'text/plain', Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ ok: false, error: { code: 'browser_request' } });
    expect(foreign.body.error?.message).toContain('Origin');
    const fetchMetadata = await postOrder(rig.orderUrl, body('fetch metadata'), { 'Content-Type': 'text/plain', 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors' });
    expect(fetchMetadata.status).toBe(403);
    expect(fetchMetadata.body.error?.message).toContain('Sec-Fetch-');
    expect(rig.orders()).toEqual([]);

    // A program: no Origin, and of the fetch-metadata headers only Node's fetch's own `Sec-Fetch-Mode: cors`.
    const program = await postOrder(rig.orderUrl, body('from a program'), { 'Content-Type': 'text/plain' });
    expect(program.status, JSON.stringify(program.body)).toBe(200);
    expect(rig.orders().map((order) => order.memo)).toEqual(['from a program']);
  });
});
