import type { Settings } from './api-types.js';

/**
 * Every setting a person can change, by the one name the UI, the CLI (`apisify settings set NAME VALUE`),
 * the API and the README use, with its one unit. The Settings page shows the name under each caption,
 * so what is read there can be typed at the command line as it stands.
 */
export type SettingName = Exclude<keyof Settings, 'paused'>;

export type SettingKind = 'text' | 'url' | 'port' | 'duration' | 'rate' | 'count' | 'switch' | 'choice';

export interface SettingField {
  name: SettingName;
  /** The caption, without its unit. */
  label: string;
  /** "ms", "per second"...; null for a name, a URL, a switch. */
  unit: string | null;
  kind: SettingKind;
  /** For a choice: the values, in the order the UI offers them. */
  choices?: readonly string[];
  /** Applied when the engine starts (host, port), else at once. */
  onRestart?: true;
  hint: string;
}

export const SETTING_FIELDS: readonly SettingField[] = [
  { name: 'host', label: 'Host', unit: null, kind: 'text', onRestart: true, hint: '127.0.0.1 keeps it on this computer; a tunnel reaches it from there' },
  { name: 'port', label: 'Port', unit: null, kind: 'port', onRestart: true, hint: 'Default 8470; 0 picks a free port' },
  { name: 'tunnelPort', label: 'Tunnel port', unit: null, kind: 'port', onRestart: true, hint: 'Default 8471, on 127.0.0.1 only: point the tunnel here. It serves /v1/order and nothing else' },
  { name: 'publicUrl', label: 'Public URL', unit: null, kind: 'url', hint: "A tunnel or reverse proxy's https URL; used for signatures, the Host allow-list and the webhook URL" },
  { name: 'trustProxyHeaders', label: 'Trust proxy headers (X-Forwarded-*) on the tunnel port', unit: null, kind: 'switch', hint: 'Only the tunnel connects there; the main port never believes them' },
  { name: 'tradingViewAddressCheck', label: "Accept TradingView keys through the tunnel only from TradingView's webhook addresses", unit: null, kind: 'switch', hint: 'Read from the forwarded address on the tunnel port' },
  { name: 'signatureWindowMs', label: 'Signature window', unit: 'ms', kind: 'duration', hint: "How far a request's timestamp may be from now (1000 to 300000)" },
  { name: 'orderWaitMs', label: 'Order wait', unit: 'ms', kind: 'duration', hint: '/v1/order waits this long for the exchange, then answers 202 (0 to 60000)' },
  { name: 'exchangeTimeoutMs', label: 'Exchange timeout', unit: 'ms', kind: 'duration', hint: 'One exchange request may take this long; then the order is looked up by its client id (200 to 60000)' },
  { name: 'duplicateWindowMs', label: 'Duplicate window', unit: 'ms', kind: 'duration', hint: 'An identical unsigned request within it is a TradingView resend (0 to 600000)' },
  { name: 'keyRatePerSecond', label: 'Orders per API key', unit: 'per second', kind: 'rate', hint: 'Sustained, after the key is authenticated; 0 turns the limit off' },
  { name: 'keyBurst', label: 'Burst per API key', unit: 'orders', kind: 'count', hint: 'How many at once beyond the rate' },
  { name: 'addressRatePerSecond', label: 'Requests per address', unit: 'per second', kind: 'rate', hint: 'Before the key is authenticated; behind a tunnel, per forwarded address only when proxy headers are trusted; 0 turns the limit off' },
  { name: 'addressBurst', label: 'Burst per address', unit: 'requests', kind: 'count', hint: 'How many at once beyond the rate' },
  { name: 'notifications', label: 'Desktop notifications', unit: null, kind: 'switch', hint: 'For filled, rejected, failed, not sent and cancelled orders, and for refusals you would not expect (at most one a minute per reason)' },
  { name: 'signalRetentionDays', label: 'Keep the signal log', unit: 'days', kind: 'count', hint: 'Every request, accepted or refused, is listed on the Signals page this long (1 to 3650); older entries are deleted in the background' },
  { name: 'timeZone', label: 'Times shown in', unit: null, kind: 'choice', choices: ['local', 'utc'], hint: "local: this computer's time zone; utc: UTC" },
];

export function settingField(name: string): SettingField | undefined {
  return SETTING_FIELDS.find((field) => field.name === name);
}

/** "Signature window (ms)". */
export function settingCaption(field: SettingField): string {
  return field.unit ? `${field.label} (${field.unit})` : field.label;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * A host other than loopback lets other machines reach the order API and the UI's login page; the
 * engine allows it (a server behind a firewall may want it), so the UI and the CLI say so plainly.
 */
export function hostWarning(host: string): string | null {
  const value = host.trim().toLowerCase();
  if (value === '' || LOOPBACK_HOSTS.has(value) || value.startsWith('127.')) return null;
  const what = value === '0.0.0.0' || value === '::' || value === '[::]' ? 'every network this machine is on' : `the network of ${host.trim()}`;
  return `host ${host.trim()} makes apisify reachable from ${what}, not only from this computer: anyone who can reach it can try keys and signatures. Keep 127.0.0.1 unless a firewall guards the port; a tunnel works from 127.0.0.1.`;
}
