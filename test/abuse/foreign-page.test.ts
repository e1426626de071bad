import { type Browser, type BrowserContext, type Request } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AbuseRig, startAbuseRig } from './abuse-rig.js';
import { rebindScript, serveAttackPage } from './attack-page.js';

/**
 * Localhost is not a trust boundary (docs/architecture.md): any page in the user's browser can send requests to
 * 127.0.0.1. A hostile page on another local origin, with no API key, tries every request a page can
 * send without CORS permission, against a real `apisify serve` with a live strategy on the fake
 * exchange, once in a fresh browser and once in the browser that holds the UI session.
 */
const REBIND_HOST = 'rebind.test';

let rig: AbuseRig;
let browser: Browser;
let attacker: Awaited<ReturnType<typeof serveAttackPage>>;

beforeAll(async () => {
  rig = await startAbuseRig();
  [browser, attacker] = await Promise.all([
    launchChromium([
      // For the DNS rebinding case: the attacker's name resolves to the engine's address...
      `--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`,
      // ...and Chromium's own private-network checks are off, so only the engine's defence is tested.
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
    ]),
    serveAttackPage(rig.server.url),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await attacker?.close();
  await rig?.stop();
});

interface Seen {
  method: string;
  path: string;
  /** The engine's answer as the browser saw it; null where the browser blocked or dropped it. */
  status: number | null;
  /** Whether the request carried the UI session cookie. */
  withSession: boolean;
}

/** Opens the attack page in `context`, waits for it to finish, and returns what it saw and what reached the engine. */
async function attack(context: BrowserContext): Promise<{ results: Record<string, string>; seen: Seen[] }> {
  const page = await context.newPage();
  const pending: Promise<Seen>[] = [];
  const engine = rig.server.url;
  const record = (request: Request, status: number | null) => {
    if (!request.url().startsWith(engine)) return;
    pending.push(request.allHeaders().then((headers) => ({ method: request.method(), path: new URL(request.url()).pathname, status, withSession: (headers['cookie'] ?? '').includes('apisify_session_') })));
  };
  page.on('response', (response) => record(response.request(), response.status()));
  page.on('requestfailed', (request) => record(request, null));
  await page.goto(attacker.url);
  await page.waitForFunction('window.done === true', null, { timeout: 30_000 });
  const results = (await page.evaluate('window.results')) as Record<string, string>;
  const seen = await Promise.all(pending);
  await page.close();
  return { results, seen };
}

function expectNothingAchieved({ results, seen }: { results: Record<string, string>; seen: Seen[] }): void {
  expect(results['error']).toBeUndefined();
  // The page read nothing: CORS refused the requests that needed permission, and the engine's
  // Cross-Origin-Resource-Policy blocked even the opaque answers to the no-cors ones.
  for (const name of ['noCorsTextJson', 'noCorsClaimingJson', 'corsJson', 'manualOrder', 'pause', 'createKey', 'trustProxyHeaders', 'redirectExchange', 'readStatus']) {
    expect(results[name], name).toMatch(/^failed/);
  }
  // Every answer the browser saw from the engine was a refusal (preflights change nothing).
  const answered = seen.filter((request) => request.method !== 'OPTIONS' && request.status !== null);
  expect(answered.filter((request) => (request.status as number) < 400), JSON.stringify(answered)).toEqual([]);
  // Every form posted to /v1/order, as a form or smuggling JSON as text/plain: 403, a browser sent it.
  expect(answered.filter((request) => request.path === '/v1/order').map((request) => request.status).sort()).toEqual([403, 403, 403]);
  // Forms posted to the UI API: 403 for their foreign Origin.
  expect(answered.filter((request) => request.path.startsWith('/api/')).map((request) => request.status)).toEqual([403, 403]);
  // The preflighted PATCH and PUT were never sent: their preflight got no CORS permission.
  expect(seen.filter((request) => ['PATCH', 'PUT'].includes(request.method) && request.status !== null)).toEqual([]);
}

describe('a page on another origin', () => {
  it('achieves nothing in a browser without a session', async () => {
    const before = rig.stateSnapshot();
    const refusedBefore = rig.refusedRows();
    const context = await browser.newContext();
    try {
      const outcome = await attack(context);
      expectNothingAchieved(outcome);
      expect(outcome.seen.filter((request) => request.withSession)).toEqual([]);
    } finally {
      await context.close();
    }
    // Six posts reached /v1/order (three forms, two no-cors fetches, the beacon) and were refused.
    await expect.poll(() => rig.refusedRows() - refusedBefore).toBe(6);
    expect(rig.exchangeRequests()).toBe(0);
    expect(rig.journalRows()).toBe(0);
    expect(rig.stateSnapshot()).toBe(before);
  });

  it('achieves nothing in the browser that holds the UI session', async () => {
    const context = await browser.newContext();
    try {
      const app = await context.newPage();
      await app.goto(rig.server.ui);
      // The session works for the app itself...
      const pageToken = String(await app.evaluate("localStorage.getItem('apisify.session')"));
      const own = await app.request.get(`${rig.server.url}/api/status`, { headers: { 'X-Apisify-Session': pageToken } });
      expect(own.status()).toBe(200);
      const before = rig.stateSnapshot();
      const refusedBefore = rig.refusedRows();
      // ...and the cookie goes along with the attacker's requests (same site: cookies ignore ports),
      // which the engine refuses for their Origin.
      const outcome = await attack(context);
      expectNothingAchieved(outcome);
      expect(outcome.seen.some((request) => request.path.startsWith('/api/') && request.withSession)).toBe(true);
      await expect.poll(() => rig.refusedRows() - refusedBefore).toBe(6);
      expect(rig.stateSnapshot()).toBe(before);
    } finally {
      await context.close();
    }
    expect(rig.exchangeRequests()).toBe(0);
    expect(rig.journalRows()).toBe(0);
  });

  it('achieves nothing after DNS rebinding: its name now points at the engine, and the engine refuses that name', async () => {
    const port = new URL(rig.server.url).port;
    const origin = `http://${REBIND_HOST}:${port}`;
    const before = rig.stateSnapshot();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The page as the attacker's server sent it before the name was rebound to 127.0.0.1.
      await page.route(`${origin}/`, (route) =>
        route.request().isNavigationRequest() ? route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>${rebindScript()}</script>` }) : route.fallback(),
      );
      await page.goto(`${origin}/`);
      await page.waitForFunction('window.done === true', null, { timeout: 15_000 });
      const results = (await page.evaluate('window.results')) as Record<string, { status: number; body: string }>;
      for (const [name, result] of Object.entries(results)) {
        expect(result.status, name).toBe(403);
        expect(JSON.parse(result.body), name).toMatchObject({ ok: false, error: { code: 'host_not_allowed' } });
      }
      expect(Object.keys(results).sort()).toEqual(['order', 'pause', 'status', 'ui']);
    } finally {
      await context.close();
    }
    expect(rig.stateSnapshot()).toBe(before);
    expect(rig.exchangeRequests()).toBe(0);
  });
});
