import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrderView } from '../../shared/order-view.js';
import type { SignalView } from '../../shared/signal-view.js';
import {
  clipboardTexts,
  fakeApp,
  FakeBrowserWindow,
  type FakeMenuItem,
  FakeNotification,
  fakeSession,
  FakeTray,
  FakeWebContents,
  messageBoxes,
  messageBoxResponses,
  openedExternally,
  preventable,
} from './fake-electron.js';
import { fakeEngine } from './fake-engine.js';

// main.ts runs against stand-ins: Electron's API (no binary here) and an in-memory engine.
vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);
vi.mock('../../main/engine/engine.js', async () => {
  const { fakeEngine: engine } = await import('./fake-engine.js');
  return {
    startEngine: async (options: { dataDir: string }) => {
      engine.startedWith = options;
      return engine;
    },
  };
});

const DATA_DIR = '/tmp/apisify-wiring-test';

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !predicate(); waited += 5) {
    if (waited > 2_000) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function tray(): FakeTray {
  const [only] = FakeTray.created;
  if (!only) throw new Error('no tray was created');
  return only;
}

function window(): FakeBrowserWindow {
  const [only] = FakeBrowserWindow.created;
  if (!only) throw new Error('no window was created');
  return only;
}

function menuItem(label: string, items: FakeMenuItem[] = tray().menu): FakeMenuItem {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu ? menuItem(label, item.submenu) : null;
    if (inner) return inner;
  }
  throw new Error(`no menu item "${label}" in ${JSON.stringify(items.map((item) => item.label))}`);
}

beforeAll(async () => {
  vi.stubEnv('APISIFY_DATA_DIR', DATA_DIR);
  await import('../../main/electron/main.js');
  fakeApp.readyResolve();
  await until(() => FakeTray.created.length === 1, 'the tray');
});

describe('main.ts, wired to stand-ins', () => {
  it('takes the single-instance lock, turns on the sandbox and starts the engine on the data dir', () => {
    expect(fakeApp.calls.slice(0, 2)).toEqual(['requestSingleInstanceLock', 'enableSandbox']);
    expect(fakeApp.getPath('userData')).toBe(DATA_DIR);
    expect(fakeEngine.startedWith).toEqual({ dataDir: DATA_DIR });
  });

  it('opens one window, locked down, on a one-time UI URL', () => {
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(window().options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window().loaded).toEqual(['http://127.0.0.1:8470/?token=one-time-1']);
  });

  it('shows the engine’s state in the tray', () => {
    expect(tray().image).toBe('/fake/app/build/icons/tray/running.png');
    expect(menuItem('Listening on http://127.0.0.1:8470').enabled).toBe(false);
  });

  it('pauses trading from the tray and redraws from the status event', () => {
    menuItem('Pause trading').click?.();

    expect(fakeEngine.calls).toContain('setPaused(true)');
    expect(tray().image).toBe('/fake/app/build/icons/tray/paused.png');
    expect(menuItem('Resume trading')).toBeTruthy();
  });

  it('flattens everything and pauses from the tray only after its native confirm', async () => {
    const flattens = () => fakeEngine.calls.filter((call) => call.startsWith('flatten('));
    fakeEngine.current = { ...fakeEngine.current, paused: false };
    fakeEngine.emit({ type: 'status', status: fakeEngine.current });
    expect(tray().image).toBe('/fake/app/build/icons/tray/running.png');
    const asked = messageBoxes.length;

    messageBoxResponses.push(0); // Cancel
    menuItem('Flatten all and pause…').click?.();
    await until(() => messageBoxes.length === asked + 1, 'the confirm');
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(messageBoxes[asked]).toMatchObject({ type: 'warning', message: 'Flatten everything and pause trading?', buttons: ['Cancel', 'Flatten all and pause'] });
    expect(flattens()).toEqual([]);
    expect(messageBoxes).toHaveLength(asked + 1);
    expect(tray().image).toBe('/fake/app/build/icons/tray/running.png');

    fakeEngine.flattenCloses = [{ orderId: 12, exchange: 'bybit', account: 'main', strategy: 'trend', symbol: 'BTCUSDT', status: 'filled', error: null }];
    messageBoxResponses.push(1); // Flatten all and pause
    menuItem('Flatten all and pause…').click?.();
    await until(() => messageBoxes.length === asked + 3, 'the confirm and the outcome');

    expect(flattens()).toEqual(['flatten({"pause":true})']);
    expect(messageBoxes[asked + 2]).toMatchObject({ type: 'info', message: 'Flattened: 1 close done, 0 orders cancelled. Trading is paused.', detail: 'BTCUSDT on bybit · main (trend): filled' });
    expect(tray().image).toBe('/fake/app/build/icons/tray/paused.png');
    expect(menuItem('Resume trading')).toBeTruthy();
  });

  it('starts a tunnel and then offers to copy the webhook URL', async () => {
    menuItem('cloudflared (quick tunnel, no account)').click?.();
    await until(() => tray().menu.some((item) => item.label === 'Copy webhook URL'), 'the Copy webhook URL item');

    menuItem('Copy webhook URL').click?.();

    expect(fakeEngine.calls).toContain('startTunnel(cloudflared)');
    expect(clipboardTexts).toEqual(['https://quiet-harbor.trycloudflare.com/v1/order']);
  });

  it('notifies once when an order becomes filled', () => {
    const order = { id: 7, status: 'submitted', side: 'buy', qty: '1', symbol: 'ETHUSDT', strategy: 's', exchange: 'bybit', dryRun: false, legs: [], plan: null, error: null } as unknown as OrderView;
    fakeEngine.emit({ type: 'order', order });
    fakeEngine.emit({ type: 'order', order: { ...order, status: 'filled' } });
    fakeEngine.emit({ type: 'order', order: { ...order, status: 'filled' } });

    expect(FakeNotification.shown.map((notification) => notification.options.title)).toEqual(['Filled: Buy 1 ETHUSDT']);
  });

  it('notifies a surprising refusal once a minute, not once per request', () => {
    const before = FakeNotification.shown.length;
    const refusal = { id: 1, outcome: 'refused', source: 'api', keyLabel: 'bot', strategy: 'gone', symbol: 'BTCUSDT', side: 'Buy', status: 403, code: 'unknown_strategy', message: 'strategy: no strategy named gone', orderId: null, count: 1 } as unknown as SignalView;
    fakeEngine.emit({ type: 'signals', signals: [refusal, { ...refusal, id: 2 }] });
    fakeEngine.emit({ type: 'signals', signals: [{ ...refusal, id: 3 }] });

    expect(FakeNotification.shown.slice(before).map((notification) => notification.options.title)).toEqual(['Refused: unknown strategy']);
  });

  it('hides the window on close and brings it back on a second launch', () => {
    const close = preventable({});
    window().emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    expect(window().visible).toBe(false);

    fakeApp.emit('second-instance');

    expect(window().visible).toBe(true);
    expect(FakeBrowserWindow.created).toHaveLength(1);
  });

  it('guards every web contents: foreign navigation goes to the browser, file: and window.open elsewhere nowhere', () => {
    const contents = new FakeWebContents();
    fakeApp.emit('web-contents-created', {}, contents);

    const external = preventable({ url: 'https://www.tradingview.com/' });
    contents.emit('will-navigate', external);
    const local = preventable({ url: 'http://127.0.0.1:8470/orders' });
    contents.emit('will-navigate', local);
    const file = preventable({ url: 'file:///etc/passwd' });
    contents.emit('will-navigate', file);

    expect([external.defaultPrevented, local.defaultPrevented, file.defaultPrevented]).toEqual([true, false, true]);
    expect(openedExternally).toEqual(['https://www.tradingview.com/']);
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies permission requests', () => {
    const answers: boolean[] = [];
    fakeSession.permissionRequestHandler?.({}, 'media', (granted) => answers.push(granted), { requestingUrl: 'http://127.0.0.1:8470/' });
    fakeSession.permissionRequestHandler?.({}, 'geolocation', (granted) => answers.push(granted), { requestingUrl: 'http://127.0.0.1:8470/' });
    expect(answers).toEqual([false, false]);
    expect(fakeSession.permissionCheckHandler?.({}, 'notifications', 'http://127.0.0.1:8470')).toBe(false);
  });

  it('adds the CSP to an engine page that came without one, and leaves other responses alone', () => {
    const answers: Array<Record<string, string | string[]> | undefined> = [];
    fakeSession.headersListener?.({ url: 'http://127.0.0.1:8470/', responseHeaders: {} }, (response) => answers.push(response.responseHeaders));
    fakeSession.headersListener?.({ url: 'https://example.com/', responseHeaders: {} }, (response) => answers.push(response.responseHeaders));

    expect(String(answers[0]?.['Content-Security-Policy'])).toContain("script-src 'self'");
    expect(answers[1]).toEqual({});
  });

  it('on Quit stops the engine first, then quits', async () => {
    menuItem('Quit apisify').click?.();
    await until(() => fakeApp.calls.includes('quit-proceeded'), 'the quit to go through');

    expect(fakeEngine.calls.at(-1)).toBe('stop()');
    expect(fakeApp.calls.filter((call) => call === 'quit')).toHaveLength(2);
    expect(tray().destroyed).toBe(true);
    const close = preventable({});
    window().emit('close', close);
    expect(close.defaultPrevented).toBe(false);
  });
});
