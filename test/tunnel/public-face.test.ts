import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, type IssuedKey, type RunningServer, startServer, tempDataDir } from '../support/apisify-process.js';
import { sendRaw } from '../abuse/raw-http.js';
import { postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';
import { openUiSession } from '../support/ui-session.js';

/**
 * What the tunnel exposes: `serve --tunnel cloudflared` (a stand-in that prints a public URL) forwards
 * to the tunnel's own listener. Requests arrive as the tunnel delivers them: from 127.0.0.1, with the
 * public host name in Host. Only POST /v1/order may answer there; the UI, its one-time link (which
 * `serve` prints, so it sits in journald) and /api never do, on either port, to that name.
 */
const STAND_IN_DIR = dirname(fileURLToPath(new URL('./fixtures/cloudflared', import.meta.url)));
const PUBLIC_URL = 'https://brisk-copper-lantern-fields.trycloudflare.com';
const PUBLIC_HOST = new URL(PUBLIC_URL).host;

let server: RunningServer;
let key: IssuedKey;

beforeAll(async () => {
  const dataDir = tempDataDir();
  key = await createKey(dataDir);
  server = await startServer(dataDir, ['--tunnel', 'cloudflared'], { PATH: `${STAND_IN_DIR}:${process.env['PATH'] ?? ''}`, FAKE_CLOUDFLARED_URL: PUBLIC_URL, FAKE_CLOUDFLARED_RECORD: join(dataDir, 'cloudflared-args.json') });
});
afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

function get(base: string, path: string, headers: Record<string, string> = {}) {
  return sendRaw(base, { method: 'GET', path, headers: { Host: PUBLIC_HOST, Accept: 'text/html', ...headers }, body: Buffer.alloc(0) });
}

describe("the tunnel's public host name", () => {
  it('is a listener of its own, the one the tunnel was pointed at', () => {
    expect(server.tunnelListener).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.tunnelListener).not.toBe(server.url);
    expect(server.webhook).toBe(`${PUBLIC_URL}/v1/order`);
    const { args } = JSON.parse(readFileSync(join(server.dataDir, 'cloudflared-args.json'), 'utf8')) as { args: string[] };
    expect(args).toEqual(['tunnel', '--url', server.tunnelListener, '--no-autoupdate']);
  });

  it('neither redeems the one-time UI link nor serves the UI or /api, on either port', async () => {
    const link = new URL(server.ui);
    const viaTunnel = await get(server.tunnelListener, `${link.pathname}${link.search}`);
    expect(viaTunnel.status).toBe(404);
    expect(viaTunnel.headers['set-cookie']).toBeUndefined();
    expect(viaTunnel.json).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The main port does not answer to the public name at all.
    const viaMain = await get(server.url, `${link.pathname}${link.search}`);
    expect(viaMain.status).toBe(403);
    expect(viaMain.headers['set-cookie']).toBeUndefined();
    expect(viaMain.json).toMatchObject({ ok: false, error: { code: 'host_not_allowed' } });
    for (const path of ['/', '/keys', '/index.html', '/api/status', '/api/keys', '/api/events']) {
      const tunnel = await get(server.tunnelListener, path);
      expect(tunnel.status, path).toBe(404);
      expect(tunnel.text, path).not.toContain('<!doctype html');
      expect((await get(server.url, path)).status, path).toBe(403);
    }

    // Neither try spent the link: it still opens a session on the main port, to its own name...
    const session = await openUiSession(server.ui);
    expect((await fetch(`${server.url}/api/status`, { headers: session.headers })).status).toBe(200);
    // ...which opens nothing under the public name, had cookie and token leaked.
    expect((await get(server.tunnelListener, '/api/status', session.headers)).status).toBe(404);
    expect((await get(server.url, '/api/status', session.headers)).status).toBe(403);
  });

  it('takes orders signed over the public URL on the tunnel listener', async () => {
    const call = await postSignedOrder(server.tunnelListener, key, SPEC_EXAMPLE, { signUrl: `${PUBLIC_URL}/v1/order`, headers: { Host: PUBLIC_HOST, 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' } });
    expect(call.status, JSON.stringify(call.body)).toBe(200);
    expect(call.body.order?.status).toBe('filled');
  });
});
