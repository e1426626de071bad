import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelState } from '../../shared/engine-status.js';
import type { OpenTunnel } from '../../main/engine/tunnel/tunnel.js';
import { TunnelCancelledError, TunnelService } from '../../main/engine/tunnel/tunnel-service.js';
import { emptyDir, eventually, FAKE_PUBLIC_URL, type FakeMode, fakeCloudflared, isAlive } from './fake-cloudflared.js';

const LOCAL_URL = 'http://127.0.0.1:48470';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function serviceWithFake(mode: FakeMode, extra: NodeJS.ProcessEnv = {}) {
  const fake = fakeCloudflared(mode, extra);
  const service = new TunnelService({ cloudflared: { env: fake.env, extraDirs: [] } });
  const states: TunnelState[] = [];
  service.onChange((state) => states.push(state));
  cleanups.push(() => fake.cleanup());
  cleanups.push(() => service.stop());
  return { fake, service, states };
}

/** A tunnel whose loss the test triggers by hand. */
function handTunnel(publicUrl: string) {
  let lose: (reason: string) => void = () => undefined;
  let stops = 0;
  const tunnel: OpenTunnel = {
    kind: 'ngrok',
    publicUrl,
    stop: async () => {
      stops += 1;
    },
    onLost: (listener) => {
      lose = listener;
    },
  };
  return { tunnel, lose: (reason: string) => lose(reason), stops: () => stops };
}

describe('TunnelService with cloudflared', () => {
  it('goes off -> starting -> running with the public URL, and back to off on stop()', async () => {
    const { fake, service, states } = serviceWithFake('tunnel');
    expect(service.state()).toEqual({ state: 'off' });

    await expect(service.start('cloudflared', LOCAL_URL)).resolves.toBe(FAKE_PUBLIC_URL);
    expect(service.state()).toEqual({ state: 'running', kind: 'cloudflared', publicUrl: FAKE_PUBLIC_URL });
    const { pid } = fake.recorded();

    await service.stop();

    expect(states.map((state) => state.state)).toEqual(['starting', 'running', 'off']);
    expect(isAlive(pid)).toBe(false);
  });

  it('turns to error, with the reason, when cloudflared dies under a running tunnel', async () => {
    const { service, states } = serviceWithFake('crash-after-url', { FAKE_CLOUDFLARED_CRASH_MS: '150' });
    await service.start('cloudflared', LOCAL_URL);

    await eventually(() => service.state().state === 'error', 'the state to turn to error');

    const state = service.state();
    expect(state.state === 'error' && state.message).toMatch(/cloudflared stopped unexpectedly/);
    expect(states.map((each) => each.state)).toEqual(['starting', 'running', 'error']);
  });

  it('keeps the install hint as the error state when cloudflared is missing', async () => {
    const empty = emptyDir();
    cleanups.push(() => empty.cleanup());
    const service = new TunnelService({ cloudflared: { env: { PATH: empty.path }, extraDirs: [] } });

    await expect(service.start('cloudflared', LOCAL_URL)).rejects.toThrow(/brew install cloudflared/);

    const state = service.state();
    expect(state.state).toBe('error');
    expect(state.state === 'error' && state.message).toMatch(/cloudflared is not installed/);
  });

  it('uses the configured cloudflared path, read at each start', async () => {
    const empty = emptyDir();
    cleanups.push(() => empty.cleanup());
    let configured: string | null = `${empty.path}/cloudflared`;
    const fake = fakeCloudflared('tunnel');
    cleanups.push(() => fake.cleanup());
    const service = new TunnelService({ cloudflaredPath: () => configured, cloudflared: { env: fake.env, extraDirs: [] } });
    cleanups.push(() => service.stop());

    await expect(service.start('cloudflared', LOCAL_URL)).rejects.toThrow(/the configured path/);

    configured = null;
    await expect(service.start('cloudflared', LOCAL_URL)).resolves.toBe(FAKE_PUBLIC_URL);
  });

  it('cancels a start still waiting for the URL when stopped, and ends its process', async () => {
    const { fake, service } = serviceWithFake('silent');
    const start = service.start('cloudflared', LOCAL_URL);
    await eventually(() => {
      try {
        return isAlive(fake.recorded().pid);
      } catch {
        return false;
      }
    }, 'the stand-in to start');

    await service.stop();

    await expect(start).rejects.toBeInstanceOf(TunnelCancelledError);
    expect(service.state()).toEqual({ state: 'off' });
    await eventually(() => !isAlive(fake.recorded().pid), 'the cancelled cloudflared to end');
  });
});

describe('TunnelService state rules', () => {
  it('replaces a running tunnel on a new start, stopping the old one first', async () => {
    const first = handTunnel('https://first.example');
    const second = handTunnel('https://second.example');
    const queue = [first.tunnel, second.tunnel];
    const service = new TunnelService({ openers: { ngrok: async () => queue.shift() ?? first.tunnel } });

    await service.start('ngrok', LOCAL_URL);
    await service.start('ngrok', LOCAL_URL);

    expect(first.stops()).toBe(1);
    expect(service.state()).toEqual({ state: 'running', kind: 'ngrok', publicUrl: 'https://second.example' });
    // The old tunnel's late death must not overwrite the new tunnel's state.
    first.lose('old tunnel died');
    expect(service.state().state).toBe('running');
    second.lose('agent gone');
    expect(service.state()).toEqual({ state: 'error', kind: 'ngrok', message: 'agent gone' });
  });

  it('clears an error on stop()', async () => {
    const service = new TunnelService({
      openers: {
        ngrok: async () => {
          throw new Error('no ngrok agent answers');
        },
      },
    });
    await expect(service.start('ngrok', LOCAL_URL)).rejects.toThrow('no ngrok agent answers');
    expect(service.state()).toEqual({ state: 'error', kind: 'ngrok', message: 'no ngrok agent answers' });

    await service.stop();

    expect(service.state()).toEqual({ state: 'off' });
  });

  it('stops a tunnel that opens after the start was superseded', async () => {
    const late = handTunnel('https://late.example');
    let release: () => void = () => undefined;
    const service = new TunnelService({
      openers: { ngrok: () => new Promise<OpenTunnel>((resolve) => (release = () => resolve(late.tunnel))) },
    });

    const start = service.start('ngrok', LOCAL_URL);
    await Promise.resolve();
    await service.stop();
    release();

    await expect(start).rejects.toBeInstanceOf(TunnelCancelledError);
    expect(late.stops()).toBe(1);
    expect(service.state()).toEqual({ state: 'off' });
  });

  it('keeps telling other watchers when one of them throws', async () => {
    const service = new TunnelService({ openers: { ngrok: async () => handTunnel('https://x.example').tunnel } });
    const seen: string[] = [];
    service.onChange(() => {
      throw new Error('buggy watcher');
    });
    const unsubscribe = service.onChange((state) => seen.push(state.state));

    await service.start('ngrok', LOCAL_URL);
    unsubscribe();
    await service.stop();

    expect(seen).toEqual(['starting', 'running']);
  });
});
