import type { EngineStatus, LastOrderSummary, TunnelState } from '../../shared/engine-status.js';

/**
 * What the tray shows, as plain data computed from the engine's status alone. No Electron here,
 * so every rule (which icon, which items, which labels) is testable in plain Node; tray.ts only
 * turns this into pixels and a native menu.
 */

export type TunnelKind = Exclude<TunnelState, { state: 'off' }>['kind'];

export type TrayIconState = 'running' | 'paused' | 'error';

/** What a menu item asks the shell to do when clicked. */
export type TrayAction =
  | { type: 'open-window' }
  | { type: 'set-paused'; paused: boolean }
  /** The kill switch: pause, then close every position and cancel open orders, after a native confirm. */
  | { type: 'flatten-all-and-pause' }
  | { type: 'start-tunnel'; kind: TunnelKind }
  | { type: 'stop-tunnel' }
  | { type: 'copy-text'; text: string }
  | { type: 'set-open-at-login'; openAtLogin: boolean }
  | { type: 'quit' };

export type TrayMenuEntry =
  | { kind: 'separator' }
  /** A line of information: shown greyed out, does nothing. */
  | { kind: 'info'; label: string }
  | { kind: 'action'; label: string; action: TrayAction }
  | { kind: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; entries: TrayMenuEntry[] };

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  entries: TrayMenuEntry[];
}

export interface TrayModelInput {
  status: EngineStatus;
  /** Whether the app starts at login; null where the OS offers no login item (Linux). */
  openAtLogin: boolean | null;
  /** Formats an order's time for the menu; injected so tests do not depend on the time zone. */
  formatTime?: (iso: string) => string;
}

/** Native menus stay one line; a long error is cut here and shown whole in the window. */
const MAX_LINE_LENGTH = 90;

export function trayIconState(status: EngineStatus): TrayIconState {
  // A problem outranks a pause: the user must see it even while trading is paused.
  if (status.error !== null || status.tunnel.state === 'error') return 'error';
  return status.paused ? 'paused' : 'running';
}

/** Menus on Windows and Linux read `&` as a keyboard-shortcut marker; user text must show it literally. */
export function menuText(text: string): string {
  return text.replace(/&/g, '&&');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_LINE_LENGTH ? flat : `${flat.slice(0, MAX_LINE_LENGTH - 1)}…`;
}

function localTime(iso: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const sameDay = when.toDateString() === new Date().toDateString();
  return sameDay
    ? when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : when.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function describeLastOrder(order: LastOrderSummary, formatTime: (iso: string) => string): string {
  const what = [order.side, order.qty, order.symbol].filter((part): part is string => Boolean(part)).join(' ');
  return `${what} ${order.status.replace(/_/g, ' ')} ${formatTime(order.receivedAt)}`;
}

export function ordersLine(status: EngineStatus, formatTime: (iso: string) => string = localTime): string {
  const last = status.lastOrder ? `last: ${describeLastOrder(status.lastOrder, formatTime)}` : 'no orders yet';
  return oneLine(`Orders today: ${status.ordersToday} · ${last}`);
}

export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/order`;
}

function tooltip(status: EngineStatus, icon: TrayIconState): string {
  if (icon === 'error') return oneLine(`apisify: ${status.error ?? (status.tunnel.state === 'error' ? status.tunnel.message : 'error')}`);
  if (icon === 'paused') return 'apisify: trading paused';
  return `apisify: running on ${status.url}`;
}

/** The kill switch's menu item; the ellipsis says a confirm comes first. */
export const FLATTEN_ALL_AND_PAUSE = 'Flatten all and pause…';

const START_TUNNEL_MENU: TrayMenuEntry = {
  kind: 'submenu',
  label: 'Start tunnel',
  entries: [
    { kind: 'action', label: 'cloudflared (quick tunnel, no account)', action: { type: 'start-tunnel', kind: 'cloudflared' } },
    { kind: 'action', label: 'ngrok (agent already running)', action: { type: 'start-tunnel', kind: 'ngrok' } },
  ],
};
const STOP_TUNNEL: TrayMenuEntry = { kind: 'action', label: 'Stop tunnel', action: { type: 'stop-tunnel' } };

function tunnelEntries(tunnel: TunnelState): TrayMenuEntry[] {
  switch (tunnel.state) {
    case 'off':
      return [START_TUNNEL_MENU];
    case 'starting':
      return [{ kind: 'info', label: `Tunnel: starting ${tunnel.kind}…` }, STOP_TUNNEL];
    case 'running':
      return [{ kind: 'info', label: menuText(oneLine(`Tunnel: ${tunnel.publicUrl}`)) }, STOP_TUNNEL];
    case 'error':
      // The error itself is already the menu's warning line; offer a retry and a way to clear it.
      return [{ kind: 'info', label: `Tunnel (${tunnel.kind}) failed` }, START_TUNNEL_MENU, STOP_TUNNEL];
  }
}

export function trayModel(input: TrayModelInput): TrayModel {
  const { status } = input;
  const icon = trayIconState(status);
  const problem = status.error ?? (status.tunnel.state === 'error' ? status.tunnel.message : null);

  const entries: TrayMenuEntry[] = [
    { kind: 'info', label: menuText(`Listening on ${status.url}`) },
    { kind: 'info', label: menuText(ordersLine(status, input.formatTime)) },
  ];
  if (problem !== null) entries.push({ kind: 'info', label: menuText(oneLine(`⚠ ${problem}`)) });
  entries.push(
    { kind: 'separator' },
    { kind: 'action', label: 'Open apisify', action: { type: 'open-window' } },
    status.paused
      ? { kind: 'action', label: 'Resume trading', action: { type: 'set-paused', paused: false } }
      : { kind: 'action', label: 'Pause trading', action: { type: 'set-paused', paused: true } },
    { kind: 'action', label: FLATTEN_ALL_AND_PAUSE, action: { type: 'flatten-all-and-pause' } },
    { kind: 'separator' },
    ...tunnelEntries(status.tunnel),
  );
  if (status.publicUrl) {
    entries.push({ kind: 'action', label: 'Copy webhook URL', action: { type: 'copy-text', text: webhookUrl(status.publicUrl) } });
  }
  entries.push({ kind: 'separator' });
  if (input.openAtLogin !== null) {
    entries.push({ kind: 'checkbox', label: 'Start at login', checked: input.openAtLogin, action: { type: 'set-open-at-login', openAtLogin: !input.openAtLogin } });
  }
  entries.push({ kind: 'action', label: 'Quit apisify', action: { type: 'quit' } });

  return { icon, tooltip: tooltip(status, icon), entries };
}
