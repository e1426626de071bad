import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';

/**
 * Browsers send a 127.0.0.1 cookie to every port of 127.0.0.1 (cookies ignore ports, and SameSite
 * counts every such port as one site). So any local server the user's browser visits receives the UI
 * session cookie. With it alone, a plain HTTP client (no Origin, no browser) must get nothing from /api.
 */
let server: RunningServer;
let browser: Browser;
let catcher: Server;
let catcherUrl = '';
const cookiesSeen: string[] = [];

beforeAll(async () => {
  server = await startServer(tempDataDir());
  catcher = createServer((request, response) => {
    cookiesSeen.push(request.headers.cookie ?? '');
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>another local app</title><p>hello</p>');
  });
  await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve));
  catcherUrl = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  catcher?.closeAllConnections();
  await new Promise((resolve) => catcher?.close(resolve));
  await server?.stop();
});

describe('the UI session cookie, leaked to another local port', () => {
  it('opens nothing under /api without the page token only the app page holds', async () => {
    const context = await browser.newContext();
    try {
      const app = await context.newPage();
      await app.goto(server.ui);
      // The app works: its status bar shows the server, read through /api with the page token.
      await expect.poll(() => app.getByTestId('server-url').textContent(), { timeout: 15_000 }).toBe(server.url);
      expect(new URL(app.url()).hash).toBe('');

      // The same browser visits another local server: the session cookie goes along.
      const other = await context.newPage();
      await other.goto(catcherUrl);
      const leaked = cookiesSeen.flatMap((header) => header.split(/;\s*/)).find((cookie) => cookie.startsWith(`apisify_session_${new URL(server.url).port}=`));
      expect(leaked, 'the browser sent the session cookie to the other port').toBeDefined();

      // Whoever runs that server replays the cookie with a plain HTTP client: no Origin, no Sec-Fetch-*.
      const headers = { Cookie: leaked as string, 'Content-Type': 'application/json' };
      const created = await fetch(`${server.url}/api/keys`, { method: 'POST', headers, body: JSON.stringify({ label: 'stolen', tradingview: false, strategies: ['test_strategy'] }) });
      expect(created.status).toBe(401);
      expect(await created.json()).toMatchObject({ ok: false, error: { code: 'session_required' } });
      const status = await fetch(`${server.url}/api/status`, { headers: { Cookie: leaked as string } });
      expect(status.status).toBe(401);
      const events = await fetch(`${server.url}/api/events`, { headers: { Cookie: leaked as string, Accept: 'text/event-stream' } });
      expect(events.status).toBe(401);
      await events.body?.cancel();
      // A guessed header is no better than none.
      const guessed = await fetch(`${server.url}/api/status`, { headers: { Cookie: leaked as string, 'X-Apisify-Session': 'guess' } });
      expect(guessed.status).toBe(401);

      // The app page itself goes on working after a reload (the token is kept per origin, port included).
      await app.reload();
      await expect.poll(() => app.getByTestId('server-url').textContent(), { timeout: 15_000 }).toBe(server.url);
      const keys = await app.evaluate("fetch('/api/keys', { headers: { 'X-Apisify-Session': localStorage.getItem('apisify.session') ?? '' } }).then((response) => response.status)");
      expect(keys).toBe(200);
      // A second tab of the app shares it (same origin)...
      const second = await context.newPage();
      await second.goto(`${server.url}/keys`);
      await expect.poll(() => second.getByTestId('server-url').textContent(), { timeout: 15_000 }).toBe(server.url);
      // ...and the other port's page cannot read that token.
      expect(await other.evaluate('Object.keys(localStorage)')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
