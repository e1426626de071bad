import { describe, expect, it } from 'vitest';
import { performTrayAction, type TrayActionTargets } from '../../main/electron/tray-actions.js';
import type { TunnelKind } from '../../main/electron/tray-model.js';

/** Targets that record what was asked of them; the tunnel start fails with `tunnelFailure` when set. */
function recordingTargets(tunnelFailure: Error | null = null) {
  const calls: string[] = [];
  const errors: Array<{ title: string; message: string }> = [];
  const targets: TrayActionTargets = {
    engine: {
      setPaused: (paused) => calls.push(`setPaused(${paused})`),
      startTunnel: async (kind: TunnelKind) => {
        calls.push(`startTunnel(${kind})`);
        if (tunnelFailure) throw tunnelFailure;
        return 'https://x.trycloudflare.com';
      },
      stopTunnel: async () => {
        calls.push('stopTunnel()');
      },
    },
    showWindow: () => calls.push('showWindow()'),
    copyText: (text) => calls.push(`copyText(${text})`),
    setOpenAtLogin: (open) => calls.push(`setOpenAtLogin(${open})`),
    quit: () => calls.push('quit()'),
    reportError: (title, error) => errors.push({ title, message: error instanceof Error ? error.message : String(error) }),
  };
  return { targets, calls, errors };
}

describe('performTrayAction', () => {
  it('relays each action to the engine or the shell', async () => {
    const { targets, calls, errors } = recordingTargets();
    await performTrayAction({ type: 'open-window' }, targets);
    await performTrayAction({ type: 'set-paused', paused: true }, targets);
    await performTrayAction({ type: 'start-tunnel', kind: 'ngrok' }, targets);
    await performTrayAction({ type: 'stop-tunnel' }, targets);
    await performTrayAction({ type: 'copy-text', text: 'https://x.trycloudflare.com/v1/order' }, targets);
    await performTrayAction({ type: 'set-open-at-login', openAtLogin: true }, targets);
    await performTrayAction({ type: 'quit' }, targets);

    expect(calls).toEqual([
      'showWindow()',
      'setPaused(true)',
      'startTunnel(ngrok)',
      'stopTunnel()',
      'copyText(https://x.trycloudflare.com/v1/order)',
      'setOpenAtLogin(true)',
      'quit()',
    ]);
    expect(errors).toEqual([]);
  });

  it('tells the user why a tunnel did not start', async () => {
    const { targets, errors } = recordingTargets(new Error('cloudflared is not installed. Install cloudflared: …'));

    await performTrayAction({ type: 'start-tunnel', kind: 'cloudflared' }, targets);

    expect(errors).toEqual([{ title: 'The cloudflared tunnel did not start', message: 'cloudflared is not installed. Install cloudflared: …' }]);
  });

  it('does not call a start the user cancelled a failure', async () => {
    const cancelled = new Error('the tunnel start was cancelled');
    cancelled.name = 'TunnelCancelledError';
    const { targets, errors } = recordingTargets(cancelled);

    await performTrayAction({ type: 'start-tunnel', kind: 'cloudflared' }, targets);

    expect(errors).toEqual([]);
  });
});
