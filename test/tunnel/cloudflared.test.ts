import { afterEach, describe, expect, it } from 'vitest';
import { CloudflaredNotFoundError, startCloudflaredTunnel } from '../../main/engine/tunnel/cloudflared.js';
import { quickTunnelUrlIn } from '../../main/engine/tunnel/quick-tunnel-url.js';
import type { OpenTunnel } from '../../main/engine/tunnel/tunnel.js';
import { emptyDir, eventually, FAKE_PUBLIC_URL, type FakeMode, type FakeRun, fakeCloudflared, isAlive } from './fake-cloudflared.js';

const LOCAL_URL = 'http://127.0.0.1:48470';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(mode: FakeMode, extra: NodeJS.ProcessEnv = {}): FakeRun {
  const fake = fakeCloudflared(mode, extra);
  cleanups.push(() => fake.cleanup());
  return fake;
}

function keep(tunnel: OpenTunnel): OpenTunnel {
  cleanups.push(() => tunnel.stop());
  return tunnel;
}

describe('quickTunnelUrlIn', () => {
  it('reads the address from the box row of the log', () => {
    expect(quickTunnelUrlIn('2024-05-01T10:00:03Z INF |  https://four-Random-words-here.trycloudflare.com            |')).toBe(
      'https://four-random-words-here.trycloudflare.com',
    );
  });

  it('ignores the service cloudflared asks, other Cloudflare addresses and look-alike hosts', () => {
    expect(quickTunnelUrlIn('failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp')).toBeNull();
    expect(quickTunnelUrlIn('INF Thank you for trying Cloudflare Tunnel ... https://www.cloudflare.com/website-terms/')).toBeNull();
    expect(quickTunnelUrlIn('INF Requesting new quick Tunnel on trycloudflare.com...')).toBeNull();
    expect(quickTunnelUrlIn('INF https://evil.trycloudflare.com.example.net')).toBeNull();
  });
});

describe('startCloudflaredTunnel', () => {
  it('runs cloudflared from PATH as a quick tunnel to our port and reads its public URL', async () => {
    const fake = run('tunnel');
    const tunnel = keep(await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] }));

    expect(tunnel.kind).toBe('cloudflared');
    expect(tunnel.publicUrl).toBe(FAKE_PUBLIC_URL);
    expect(fake.recorded().args).toEqual(['tunnel', '--url', LOCAL_URL, '--no-autoupdate']);
    expect(isAlive(fake.recorded().pid)).toBe(true);
  });

  it("gives cloudflared the environment without apisify's own variables (the master password among them)", async () => {
    const fake = run('tunnel', { APISIFY_MASTER_PASSWORD: 'correct horse battery', APISIFY_EXCHANGE_RATE_LIMIT: 'off', CLOUDFLARED_OWN: 'kept' });
    keep(await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] }));

    const { environment } = fake.recorded();
    expect(environment).toContain('CLOUDFLARED_OWN');
    expect(environment).toContain('PATH');
    expect(environment.filter((name) => name.startsWith('APISIFY_'))).toEqual([]);
  });

  it('ends the process on stop()', async () => {
    const fake = run('tunnel');
    const tunnel = await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] });
    const { pid } = fake.recorded();

    await tunnel.stop();

    expect(isAlive(pid)).toBe(false);
    await tunnel.stop(); // a second stop is harmless
  });

  it('kills a cloudflared that ignores SIGTERM once the grace period is over', async () => {
    const fake = run('ignore-sigterm');
    const tunnel = await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [], stopGraceMs: 300 });
    const { pid } = fake.recorded();

    const started = Date.now();
    await tunnel.stop();

    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('says how to install cloudflared when it is not there', async () => {
    const empty = emptyDir();
    cleanups.push(() => empty.cleanup());

    const start = startCloudflaredTunnel(LOCAL_URL, { env: { PATH: empty.path }, extraDirs: [] });

    await expect(start).rejects.toBeInstanceOf(CloudflaredNotFoundError);
    await expect(start).rejects.toThrow(/brew install cloudflared.*winget install --id Cloudflare\.cloudflared.*developers\.cloudflare\.com/);
  });

  it('names a configured path that does not exist', async () => {
    const empty = emptyDir();
    cleanups.push(() => empty.cleanup());
    const configured = `${empty.path}/cloudflared`;

    await expect(startCloudflaredTunnel(LOCAL_URL, { binaryPath: configured, extraDirs: [] })).rejects.toThrow(
      new RegExp(`not found at ${configured.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(the configured path\\).*brew install cloudflared`),
    );
  });

  it('reports cloudflared exiting before the tunnel is up, with what it said', async () => {
    const fake = run('fail');

    await expect(startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] })).rejects.toThrow(
      /stopped before the tunnel was up \(exit code 1\).*failed to request quick Tunnel/,
    );
  });

  it('gives up when no URL comes in time, and leaves no process behind', async () => {
    const fake = run('silent');

    await expect(startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [], urlTimeoutMs: 600 })).rejects.toThrow(
      /no public URL within 1 s.*Requesting new quick Tunnel/,
    );
    expect(isAlive(fake.recorded().pid)).toBe(false);
  });

  it('reports a cloudflared that dies after the tunnel was up', async () => {
    const fake = run('crash-after-url', { FAKE_CLOUDFLARED_CRASH_MS: '150' });
    const tunnel = keep(await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] }));
    const reasons: string[] = [];
    tunnel.onLost((reason) => reasons.push(reason));

    await eventually(() => reasons.length > 0, 'the tunnel to be reported lost');

    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/stopped unexpectedly \(exit code 3\).*lost connection to the edge/);
    expect(isAlive(fake.recorded().pid)).toBe(false);
  });

  it('does not call a stop() a loss', async () => {
    const fake = run('tunnel');
    const tunnel = await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [] });
    const reasons: string[] = [];
    tunnel.onLost((reason) => reasons.push(reason));

    await tunnel.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(reasons).toEqual([]);
  });

  it('ends the process when the start is aborted', async () => {
    const fake = run('silent');
    const abort = new AbortController();
    const start = startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [], signal: abort.signal });
    await eventually(() => {
      try {
        return isAlive(fake.recorded().pid);
      } catch {
        return false;
      }
    }, 'the stand-in to start');

    abort.abort();

    await expect(start).rejects.toThrow(/cancelled/);
    expect(isAlive(fake.recorded().pid)).toBe(false);
  });
});
