import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TUNNEL_RECORD_FILE } from '../../main/engine/tunnel/leftover-tunnel.js';
import { createKey, startServer, tempDataDir } from '../support/apisify-process.js';
import { postSignedOrder, SPEC_EXAMPLE } from '../support/signed-order.js';
import { eventually, fakeCloudflared, isAlive } from '../tunnel/fake-cloudflared.js';

const STAND_IN_DIR = dirname(fileURLToPath(new URL('../tunnel/fixtures/cloudflared', import.meta.url)));
const PUBLIC_URL = 'https://quietly-amber-harbor-lights.trycloudflare.com';

describe('apisify serve --tunnel cloudflared', () => {
  it('prints the webhook URL and accepts orders signed over the tunnel URL, with the tunnel host', async () => {
    const dataDir = tempDataDir();
    const key = await createKey(dataDir);
    const server = await startServer(dataDir, ['--tunnel', 'cloudflared'], { PATH: `${STAND_IN_DIR}:${process.env['PATH'] ?? ''}`, FAKE_CLOUDFLARED_URL: PUBLIC_URL });
    try {
      expect(server.webhook).toBe(`${PUBLIC_URL}/v1/order`);
      // On the tunnel's listener, requests arriving with the tunnel's host name pass the Host guard (400: on to validation), others do not.
      expect(await postWithHost(server.tunnelListener, new URL(PUBLIC_URL).host)).toBe(400);
      expect(await postWithHost(server.tunnelListener, 'elsewhere.trycloudflare.com')).toBe(403);
      // The main port does not answer to the public name at all.
      expect(await postWithHost(server.url, new URL(PUBLIC_URL).host)).toBe(403);
      const call = await postSignedOrder(server.tunnelListener, key, SPEC_EXAMPLE, { signUrl: `${PUBLIC_URL}/v1/order` });
      expect(call.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('ends at the next start the cloudflared that a killed server left running', async () => {
    const dataDir = tempDataDir();
    const fake = fakeCloudflared('tunnel', { FAKE_CLOUDFLARED_URL: PUBLIC_URL });
    try {
      const killed = await startServer(dataDir, ['--tunnel', 'cloudflared'], fake.env);
      expect(killed.webhook).toBe(`${PUBLIC_URL}/v1/order`);
      // SIGKILL: no exit hook runs, so nothing stops the tunnel.
      await killed.stop('SIGKILL');
      const { pid } = fake.recorded();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(isAlive(pid)).toBe(true);

      const next = await startServer(dataDir);
      try {
        await eventually(() => !isAlive(pid), 'the leftover cloudflared to end');
        expect(existsSync(join(dataDir, TUNNEL_RECORD_FILE))).toBe(false);
      } finally {
        expect(await next.stop()).toBe(0);
      }
    } finally {
      const { pid } = fake.recorded();
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      fake.cleanup();
    }
  });
});

function postWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/order`, { method: 'POST', headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}
