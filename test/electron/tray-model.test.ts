import { describe, expect, it } from 'vitest';
import type { TrayAction, TrayMenuEntry, TrayModel } from '../../main/electron/tray-model.js';
import { menuText, trayIconState, trayModel } from '../../main/electron/tray-model.js';
import { engineStatus } from './engine-status-fixture.js';

const formatTime = (iso: string) => `@${iso.slice(11, 16)}`;

function labels(entries: readonly TrayMenuEntry[]): string[] {
  return entries.flatMap((entry) => (entry.kind === 'separator' ? [] : [entry.label]));
}

function entry(model: TrayModel, label: string): TrayMenuEntry {
  const found = model.entries.find((each) => each.kind !== 'separator' && each.label === label);
  if (!found) throw new Error(`no menu entry "${label}" in: ${labels(model.entries).join(' | ')}`);
  return found;
}

function actionOf(model: TrayModel, label: string): TrayAction {
  const found = entry(model, label);
  if (found.kind !== 'action' && found.kind !== 'checkbox') throw new Error(`"${label}" is a ${found.kind}, not a clickable item`);
  return found.action;
}

describe('tray icon', () => {
  it('is running for a healthy engine', () => {
    expect(trayIconState(engineStatus())).toBe('running');
  });

  it('is paused while trading is paused', () => {
    expect(trayIconState(engineStatus({ paused: true }))).toBe('paused');
  });

  it('is error when the engine reports a problem, even while paused', () => {
    expect(trayIconState(engineStatus({ error: 'bybit unreachable' }))).toBe('error');
    expect(trayIconState(engineStatus({ paused: true, error: 'bybit unreachable' }))).toBe('error');
  });

  it('is error when the tunnel failed', () => {
    expect(trayIconState(engineStatus({ tunnel: { state: 'error', kind: 'cloudflared', message: 'cloudflared is not installed' } }))).toBe('error');
  });

  it('gives the tooltip the same story', () => {
    expect(trayModel({ status: engineStatus(), openAtLogin: false }).tooltip).toBe('apisify: running on http://127.0.0.1:8470');
    expect(trayModel({ status: engineStatus({ paused: true }), openAtLogin: false }).tooltip).toBe('apisify: trading paused');
    expect(trayModel({ status: engineStatus({ error: 'bybit unreachable' }), openAtLogin: false }).tooltip).toBe('apisify: bybit unreachable');
  });
});

describe('tray menu', () => {
  it('starts with the listening address and the orders line, as lines that do nothing', () => {
    const model = trayModel({ status: engineStatus(), openAtLogin: false, formatTime });
    expect(model.entries.slice(0, 2)).toEqual([
      { kind: 'info', label: 'Listening on http://127.0.0.1:8470' },
      { kind: 'info', label: 'Orders today: 0 · no orders yet' },
    ]);
  });

  it('puts the orders today and the last order in one line', () => {
    const status = engineStatus({
      ordersToday: 3,
      lastOrder: { id: 9, strategy: 'trend', exchange: 'bybit', symbol: 'BTCUSDT', side: 'Buy', qty: '0.01', status: 'partially_filled', receivedAt: '2025-03-04T14:02:00.000Z' },
    });
    expect(entry(trayModel({ status, openAtLogin: false, formatTime }), 'Orders today: 3 · last: Buy 0.01 BTCUSDT partially filled @14:02')).toBeTruthy();
  });

  it('leaves out the quantity of a Close, which has none', () => {
    const status = engineStatus({
      ordersToday: 1,
      lastOrder: { id: 10, strategy: 'trend', exchange: 'bybit', symbol: 'ETHUSDT', side: 'Close', qty: null, status: 'skipped', receivedAt: '2025-03-04T09:30:00.000Z' },
    });
    expect(labels(trayModel({ status, openAtLogin: false, formatTime }).entries)).toContain('Orders today: 1 · last: Close ETHUSDT skipped @09:30');
  });

  it('offers Pause trading while running and Resume trading while paused', () => {
    const running = trayModel({ status: engineStatus(), openAtLogin: false });
    expect(actionOf(running, 'Pause trading')).toEqual({ type: 'set-paused', paused: true });
    expect(labels(running.entries)).not.toContain('Resume trading');

    const paused = trayModel({ status: engineStatus({ paused: true }), openAtLogin: false });
    expect(actionOf(paused, 'Resume trading')).toEqual({ type: 'set-paused', paused: false });
    expect(labels(paused.entries)).not.toContain('Pause trading');
  });

  it('offers the kill switch, Flatten all and pause, whether trading runs or is paused', () => {
    for (const paused of [false, true]) {
      const model = trayModel({ status: engineStatus({ paused }), openAtLogin: false });
      expect(actionOf(model, 'Flatten all and pause…')).toEqual({ type: 'flatten-all-and-pause' });
    }
  });

  it('has no Copy webhook URL without a public URL', () => {
    expect(labels(trayModel({ status: engineStatus(), openAtLogin: false }).entries)).not.toContain('Copy webhook URL');
  });

  it('copies the order endpoint of the public URL when there is one', () => {
    const status = engineStatus({ publicUrl: 'https://quiet-harbor.trycloudflare.com', tunnel: { state: 'running', kind: 'cloudflared', publicUrl: 'https://quiet-harbor.trycloudflare.com' } });
    expect(actionOf(trayModel({ status, openAtLogin: false }), 'Copy webhook URL')).toEqual({ type: 'copy-text', text: 'https://quiet-harbor.trycloudflare.com/v1/order' });
  });

  it('copies a configured public URL too (a reverse proxy, not our tunnel), without doubling a slash', () => {
    const status = engineStatus({ publicUrl: 'https://trade.example.com/' });
    expect(actionOf(trayModel({ status, openAtLogin: false }), 'Copy webhook URL')).toEqual({ type: 'copy-text', text: 'https://trade.example.com/v1/order' });
  });

  it('offers both tunnel kinds when no tunnel runs, and no Stop', () => {
    const model = trayModel({ status: engineStatus(), openAtLogin: false });
    const start = entry(model, 'Start tunnel');
    expect(start.kind).toBe('submenu');
    if (start.kind !== 'submenu') return;
    expect(start.entries.map((each) => (each.kind === 'action' ? each.action : null))).toEqual([
      { type: 'start-tunnel', kind: 'cloudflared' },
      { type: 'start-tunnel', kind: 'ngrok' },
    ]);
    expect(labels(model.entries)).not.toContain('Stop tunnel');
  });

  it('shows the public URL and Stop tunnel while a tunnel runs', () => {
    const status = engineStatus({ publicUrl: 'https://quiet-harbor.trycloudflare.com', tunnel: { state: 'running', kind: 'cloudflared', publicUrl: 'https://quiet-harbor.trycloudflare.com' } });
    const model = trayModel({ status, openAtLogin: false });
    expect(entry(model, 'Tunnel: https://quiet-harbor.trycloudflare.com').kind).toBe('info');
    expect(actionOf(model, 'Stop tunnel')).toEqual({ type: 'stop-tunnel' });
    expect(labels(model.entries)).not.toContain('Start tunnel');
  });

  it('lets a starting tunnel be cancelled', () => {
    const model = trayModel({ status: engineStatus({ tunnel: { state: 'starting', kind: 'ngrok' } }), openAtLogin: false });
    expect(entry(model, 'Tunnel: starting ngrok…').kind).toBe('info');
    expect(actionOf(model, 'Stop tunnel')).toEqual({ type: 'stop-tunnel' });
  });

  it('shows a failed tunnel as a warning line with a retry', () => {
    const status = engineStatus({ error: 'cloudflared is not installed', tunnel: { state: 'error', kind: 'cloudflared', message: 'cloudflared is not installed' } });
    const model = trayModel({ status, openAtLogin: false });
    expect(entry(model, '⚠ cloudflared is not installed').kind).toBe('info');
    expect(entry(model, 'Start tunnel').kind).toBe('submenu');
    expect(model.icon).toBe('error');
  });

  it('cuts a long error to one menu line', () => {
    const status = engineStatus({ error: `exchange said: ${'x'.repeat(300)}\nand more` });
    const warning = labels(trayModel({ status, openAtLogin: false }).entries).find((label) => label.startsWith('⚠'));
    expect(warning).toBeDefined();
    expect(warning?.length).toBeLessThanOrEqual(90);
    expect(warning?.endsWith('…')).toBe(true);
    expect(warning).not.toContain('\n');
  });

  it('shows Start at login checked or not, and clicking flips it', () => {
    const off = trayModel({ status: engineStatus(), openAtLogin: false });
    expect(entry(off, 'Start at login')).toEqual({ kind: 'checkbox', label: 'Start at login', checked: false, action: { type: 'set-open-at-login', openAtLogin: true } });
    const on = trayModel({ status: engineStatus(), openAtLogin: true });
    expect(entry(on, 'Start at login')).toEqual({ kind: 'checkbox', label: 'Start at login', checked: true, action: { type: 'set-open-at-login', openAtLogin: false } });
  });

  it('has no Start at login where the OS offers none', () => {
    expect(labels(trayModel({ status: engineStatus(), openAtLogin: null }).entries)).not.toContain('Start at login');
  });

  it('always offers Open apisify and ends with Quit', () => {
    const model = trayModel({ status: engineStatus({ paused: true, error: 'x' }), openAtLogin: null });
    expect(actionOf(model, 'Open apisify')).toEqual({ type: 'open-window' });
    expect(model.entries.at(-1)).toEqual({ kind: 'action', label: 'Quit apisify', action: { type: 'quit' } });
  });

  it('shows an ampersand in user text literally, not as a shortcut marker', () => {
    expect(menuText('R&D strategy')).toBe('R&&D strategy');
    const status = engineStatus({
      ordersToday: 1,
      lastOrder: { id: 1, strategy: 'a', exchange: 'b', symbol: 'S&P500', side: 'Buy', qty: '1', status: 'filled', receivedAt: '2025-03-04T10:00:00.000Z' },
    });
    expect(labels(trayModel({ status, openAtLogin: false, formatTime }).entries)).toContain('Orders today: 1 · last: Buy 1 S&&P500 filled @10:00');
  });
});
