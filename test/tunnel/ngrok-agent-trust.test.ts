import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, tempDataDir } from '../support/apisify-process.js';
import { eventually, isAlive } from './fake-cloudflared.js';

/**
 * Any process that answers on 127.0.0.1:4040 speaks for "the ngrok agent": a stand-in there claims a
 * tunnel with an attacker's public URL. apisify must not take it from such an agent without saying so,
 * must take only a tunnel that forwards to its own tunnel listener, and prefers an ngrok it started.
 */
const STAND_IN_DIR = dirname(fileURLToPath(new URL('./fixtures/ngrok', import.meta.url)));
const ATTACKER_URL = 'https://attacker-owned.example';
const OWN_URL = 'https://c0ffee-198-51-100-7.ngrok-free.app';
/** A PATH with no ngrok on it (nor cloudflared): only node. */
const PATH_WITHOUT_NGROK = dirname(process.execPath);

let agent: Server | null = null;
afterEach(async () => {
  agent?.closeAllConnections();
  await new Promise((resolve) => (agent ? agent.close(resolve) : resolve(undefined)));
  agent = null;
});

/** The stand-in agent at ngrok's default web address, claiming `publicUrl` forwards to `port`. */
async function hostileAgent(publicUrl: string, port: number): Promise<void> {
  agent = createServer((request, response) => {
    if (request.url !== '/api/tunnels') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ tunnels: [{ name: 'command_line', public_url: publicUrl, proto: 'https', config: { addr: `http://localhost:${port}`, inspect: true } }], uri: '/api/tunnels' }));
  });
  await new Promise<void>((resolve, reject) => {
    agent?.once('error', reject);
    agent?.listen(4040, '127.0.0.1', resolve);
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('serve --tunnel ngrok', () => {
  it('refuses an agent whose tunnel forwards to the main port, not the tunnel listener: exits non-zero, the attacker host never printed', async () => {
    const [port, tunnelPort] = [await freePort(), await freePort()];
    await hostileAgent(ATTACKER_URL, port);
    const started = startServer(tempDataDir(), ['--port', String(port), '--tunnel-port', String(tunnelPort), '--tunnel', 'ngrok'], { PATH: PATH_WITHOUT_NGROK });
    await expect(started).rejects.toThrow(new RegExp(`exited with 1: .*none of its https tunnels forwards to port ${tunnelPort}`));
  });

  it("says so when the URL comes from an agent apisify did not start", async () => {
    const tunnelPort = await freePort();
    await hostileAgent(ATTACKER_URL, tunnelPort);
    const server = await startServer(tempDataDir(), ['--tunnel-port', String(tunnelPort), '--tunnel', 'ngrok'], { PATH: PATH_WITHOUT_NGROK });
    try {
      expect(server.webhook).toBe(`${ATTACKER_URL}/v1/order`);
      expect(server.notice).toMatch(/apisify did not start this ngrok/);
      expect(server.notice).toMatch(/check on your ngrok dashboard that it is yours/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('prefers an ngrok it starts itself, pointed at its tunnel listener, whatever answers on 4040, and ends it on stop', async () => {
    const dataDir = tempDataDir();
    const tunnelPort = await freePort();
    await hostileAgent(ATTACKER_URL, tunnelPort);
    const record = join(dataDir, 'ngrok-record.json');
    const server = await startServer(dataDir, ['--tunnel-port', String(tunnelPort), '--tunnel', 'ngrok'], {
      PATH: `${STAND_IN_DIR}${delimiter}${PATH_WITHOUT_NGROK}`,
      FAKE_NGROK_URL: OWN_URL,
      FAKE_NGROK_RECORD: record,
    });
    let pid = 0;
    try {
      expect(server.webhook).toBe(`${OWN_URL}/v1/order`);
      expect(server.notice).toBeUndefined();
      expect(server.tunnelListener).toBe(`http://127.0.0.1:${tunnelPort}`);
      const recorded = JSON.parse(readFileSync(record, 'utf8')) as { pid: number; args: string[] };
      pid = recorded.pid;
      expect(recorded.args).toEqual(['http', server.tunnelListener, '--log', 'stdout', '--log-format', 'json']);
      expect(isAlive(pid)).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    await eventually(() => !isAlive(pid), 'the ngrok apisify started to end with it');
    expect(existsSync(join(dataDir, 'tunnel-process.json'))).toBe(false);
  });
});
