import { describe, expect, it } from 'vitest';
import { performTrayAction, type TrayActionTargets } from '../../main/electron/tray-actions.js';
import { FLATTEN_ALL_QUESTION, type TrayOutcome, type TrayQuestion } from '../../main/electron/tray-flatten.js';
import type { TunnelKind } from '../../main/electron/tray-model.js';
import type { FlattenAnswer } from '../../shared/flatten-api.js';

const FLATTENED: FlattenAnswer = {
  paused: true,
  closes: [{ orderId: 41, exchange: 'bybit', account: 'main', strategy: 'trend', symbol: 'BTCUSDT', status: 'filled', error: null }],
  cancelled: [{ orderId: 40, status: 'cancelled' }],
  failures: [],
};

interface Options {
  tunnelFailure?: Error;
  /** What the user answers to a confirm. */
  confirms?: boolean;
  /** What the engine's flatten does. */
  flatten?: () => Promise<FlattenAnswer>;
}

/** Targets that record what was asked of them. */
function recordingTargets(options: Options = {}) {
  const calls: string[] = [];
  const errors: Array<{ title: string; message: string }> = [];
  const questions: TrayQuestion[] = [];
  const outcomes: TrayOutcome[] = [];
  const targets: TrayActionTargets = {
    engine: {
      setPaused: (paused) => calls.push(`setPaused(${paused})`),
      flatten: async (request) => {
        calls.push(`flatten(${JSON.stringify(request)})`);
        return (options.flatten ?? (async () => FLATTENED))();
      },
      startTunnel: async (kind: TunnelKind) => {
        calls.push(`startTunnel(${kind})`);
        if (options.tunnelFailure) throw options.tunnelFailure;
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
    confirm: async (question) => {
      questions.push(question);
      return options.confirms ?? false;
    },
    showOutcome: (outcome) => outcomes.push(outcome),
  };
  return { targets, calls, errors, questions, outcomes };
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
    const { targets, errors } = recordingTargets({ tunnelFailure: new Error('cloudflared is not installed. Install cloudflared: …') });

    await performTrayAction({ type: 'start-tunnel', kind: 'cloudflared' }, targets);

    expect(errors).toEqual([{ title: 'The cloudflared tunnel did not start', message: 'cloudflared is not installed. Install cloudflared: …' }]);
  });

  it('does not call a start the user cancelled a failure', async () => {
    const cancelled = new Error('the tunnel start was cancelled');
    cancelled.name = 'TunnelCancelledError';
    const { targets, errors } = recordingTargets({ tunnelFailure: cancelled });

    await performTrayAction({ type: 'start-tunnel', kind: 'cloudflared' }, targets);

    expect(errors).toEqual([]);
  });

  it('flattens nothing when the user cancels the confirm', async () => {
    const { targets, calls, questions, outcomes } = recordingTargets({ confirms: false });

    await performTrayAction({ type: 'flatten-all-and-pause' }, targets);

    expect(questions).toEqual([FLATTEN_ALL_QUESTION]);
    expect(calls).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  it('after the confirm, flattens everything with pause first and says what was closed', async () => {
    const { targets, calls, outcomes, errors } = recordingTargets({ confirms: true });

    await performTrayAction({ type: 'flatten-all-and-pause' }, targets);

    expect(calls).toEqual(['flatten({"pause":true})']);
    expect(outcomes).toEqual([
      { tone: 'info', message: 'Flattened: 1 close done, 1 order cancelled. Trading is paused.', detail: 'BTCUSDT on bybit · main (trend): filled\n1 open order cancelled (#40 cancelled)' },
    ]);
    expect(errors).toEqual([]);
  });

  it('a second click while the confirm is open asks nothing more and flattens once; a later click asks again', async () => {
    let answer: (yes: boolean) => void = () => undefined;
    const { targets, calls, questions } = recordingTargets();
    targets.confirm = (question) => {
      questions.push(question);
      return new Promise((resolve) => (answer = resolve));
    };
    const first = performTrayAction({ type: 'flatten-all-and-pause' }, targets);
    await performTrayAction({ type: 'flatten-all-and-pause' }, targets);
    expect(questions).toHaveLength(1);
    answer(true);
    await first;
    expect(calls).toEqual(['flatten({"pause":true})']);

    const again = performTrayAction({ type: 'flatten-all-and-pause' }, targets);
    expect(questions).toHaveLength(2);
    answer(false);
    await again;
    expect(calls).toEqual(['flatten({"pause":true})']);
  });

  it('tells the user when flatten failed on the way', async () => {
    const { targets, outcomes, errors } = recordingTargets({
      confirms: true,
      flatten: async () => {
        throw new Error('the journal is closed');
      },
    });

    await performTrayAction({ type: 'flatten-all-and-pause' }, targets);

    expect(outcomes).toEqual([]);
    expect(errors).toEqual([{ title: 'Flatten all stopped on an error: see the Positions page and Live orders', message: 'the journal is closed' }]);
  });
});
