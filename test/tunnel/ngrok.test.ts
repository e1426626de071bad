import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectNgrokTunnel, forwardsToPort, pickNgrokTunnel } from '../../main/engine/tunnel/ngrok.js';
import { eventually } from './fake-cloudflared.js';

const PORT = 48470;
const LOCAL_URL = `http://127.0.0.1:${PORT}`;

/** The shape an ngrok v3 agent answers GET /api/tunnels with (trimmed of metrics). */
function tunnelsBody(tunnels: Array<{ publicUrl: string; addr: string; proto?: string }>) {
  return {
    tunnels: tunnels.map((tunnel, index) => ({
      name: `tunnel-${index}`,
      ID: `a1b2c3${index}`,
      uri: `/api/tunnels/tunnel-${index}`,
      public_url: tunnel.publicUrl,
      proto: tunnel.proto ?? (tunnel.publicUrl.startsWith('https') ? 'https' : 'http'),
      config: { addr: tunnel.addr, inspect: true },
      metrics: { conns: { count: 0 }, http: { count: 0 } },
    })),
    uri: '/api/tunnels',
  };
}

interface FakeAgent {
  apiUrl: string;
  answer(body: unknown): void;
  close(): Promise<void>;
}

const agents: FakeAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

async function fakeAgent(body: unknown): Promise<FakeAgent> {
  let current = body;
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/api/tunnels') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(current));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let closed = false;
  const agent: FakeAgent = {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (next) => {
      current = next;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  agents.push(agent);
  return agent;
}

describe('forwardsToPort', () => {
  it('understands the ways agents write the local address', () => {
    expect(forwardsToPort('http://localhost:48470', PORT)).toBe(true);
    expect(forwardsToPort('localhost:48470', PORT)).toBe(true);
    expect(forwardsToPort('127.0.0.1:48470', PORT)).toBe(true);
    expect(forwardsToPort('48470', PORT)).toBe(true);
    expect(forwardsToPort('http://[::1]:48470', PORT)).toBe(true);
  });

  it('refuses other ports and other machines', () => {
    expect(forwardsToPort('http://localhost:8080', PORT)).toBe(false);
    expect(forwardsToPort('http://localhost:484700', PORT)).toBe(false);
    expect(forwardsToPort('http://192.168.1.20:48470', PORT)).toBe(false);
    expect(forwardsToPort('http://localhost', PORT)).toBe(false);
  });
});

describe('pickNgrokTunnel', () => {
  it('takes the https tunnel to our port, not an http one nor one to another port', () => {
    const body = tunnelsBody([
      { publicUrl: 'https://other-app.ngrok-free.app', addr: 'http://localhost:3000' },
      { publicUrl: 'http://plain.ngrok-free.app', addr: 'http://localhost:48470' },
      { publicUrl: 'https://ours.ngrok-free.app/', addr: 'http://localhost:48470' },
    ]);
    expect(pickNgrokTunnel(body, PORT)).toBe('https://ours.ngrok-free.app');
  });

  it('returns null for an answer that is not a tunnel list', () => {
    expect(pickNgrokTunnel({ error: 'nope' }, PORT)).toBeNull();
    expect(pickNgrokTunnel(null, PORT)).toBeNull();
  });
});

describe('connectNgrokTunnel', () => {
  it('reads the running agent and returns the public URL forwarding to our port', async () => {
    const agent = await fakeAgent(
      tunnelsBody([
        { publicUrl: 'https://other-app.ngrok-free.app', addr: 'http://localhost:3000' },
        { publicUrl: 'https://ours.ngrok-free.app', addr: 'http://localhost:48470' },
      ]),
    );

    const tunnel = await connectNgrokTunnel(LOCAL_URL, { apiUrl: agent.apiUrl, watchIntervalMs: 0 });

    expect(tunnel.kind).toBe('ngrok');
    expect(tunnel.publicUrl).toBe('https://ours.ngrok-free.app');
  });

  it('says what ngrok forwards and how to fix it when no tunnel goes to our port', async () => {
    const agent = await fakeAgent(tunnelsBody([{ publicUrl: 'https://other-app.ngrok-free.app', addr: 'http://localhost:3000' }]));

    await expect(connectNgrokTunnel(LOCAL_URL, { apiUrl: agent.apiUrl, watchIntervalMs: 0 })).rejects.toThrow(
      /none of its https tunnels forwards to port 48470 \(it has https:\/\/other-app\.ngrok-free\.app -> http:\/\/localhost:3000\); run `ngrok http 48470`/,
    );
  });

  it('says so when no agent is running', async () => {
    const agent = await fakeAgent(tunnelsBody([]));
    const apiUrl = agent.apiUrl;
    await agent.close();

    await expect(connectNgrokTunnel(LOCAL_URL, { apiUrl, watchIntervalMs: 0 })).rejects.toThrow(`no ngrok agent answers at ${apiUrl}; run \`ngrok http 48470\``);
  });

  it('reports the tunnel lost when the agent drops it or goes away, but not after stop()', async () => {
    const agent = await fakeAgent(tunnelsBody([{ publicUrl: 'https://ours.ngrok-free.app', addr: 'localhost:48470' }]));
    const tunnel = await connectNgrokTunnel(LOCAL_URL, { apiUrl: agent.apiUrl, watchIntervalMs: 50 });
    const reasons: string[] = [];
    tunnel.onLost((reason) => reasons.push(reason));

    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(reasons).toEqual([]);

    agent.answer(tunnelsBody([]));
    await eventually(() => reasons.length > 0, 'the ngrok tunnel to be reported lost');
    expect(reasons[0]).toMatch(/ngrok tunnel https:\/\/ours\.ngrok-free\.app is gone/);

    const quiet = await connectNgrokTunnel(LOCAL_URL, {
      apiUrl: (await fakeAgent(tunnelsBody([{ publicUrl: 'https://ours.ngrok-free.app', addr: '48470' }]))).apiUrl,
      watchIntervalMs: 50,
    });
    const quietReasons: string[] = [];
    quiet.onLost((reason) => quietReasons.push(reason));
    await quiet.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(quietReasons).toEqual([]);
  });

  it('reports the tunnel lost when the agent stops answering', async () => {
    const agent = await fakeAgent(tunnelsBody([{ publicUrl: 'https://ours.ngrok-free.app', addr: 'http://localhost:48470' }]));
    const tunnel = await connectNgrokTunnel(LOCAL_URL, { apiUrl: agent.apiUrl, watchIntervalMs: 50 });
    const reasons: string[] = [];
    tunnel.onLost((reason) => reasons.push(reason));

    await agent.close();

    await eventually(() => reasons.length > 0, 'the ngrok tunnel to be reported lost');
    expect(reasons[0]).toMatch(/stopped answering/);
    await tunnel.stop();
  });
});
