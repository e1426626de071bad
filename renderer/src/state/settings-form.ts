import { firstProblem, type SettingsChanges, settingsChangesSchema } from '../../../shared/ui-schemas.js';
import type { Settings } from './api-types.js';

/** The settings form as typed; durations in seconds, as people think of them. */
export interface SettingsForm {
  host: string;
  port: string;
  tunnelPort: string;
  publicUrl: string;
  trustProxyHeaders: boolean;
  tradingViewAddressCheck: boolean;
  signatureWindowS: string;
  orderWaitS: string;
  /** Empty when the engine has no such setting. */
  exchangeTimeoutS: string;
  duplicateWindowS: string;
  notifications: boolean;
  keyRatePerSecond: string;
  keyBurst: string;
  addressRatePerSecond: string;
  addressBurst: string;
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

export function settingsToForm(settings: Settings): SettingsForm {
  return {
    host: settings.host,
    port: String(settings.port),
    tunnelPort: String(settings.tunnelPort),
    publicUrl: settings.publicUrl ?? '',
    trustProxyHeaders: settings.trustProxyHeaders,
    tradingViewAddressCheck: settings.tradingViewAddressCheck,
    signatureWindowS: seconds(settings.signatureWindowMs),
    orderWaitS: seconds(settings.orderWaitMs),
    exchangeTimeoutS: seconds(settings.exchangeTimeoutMs),
    duplicateWindowS: seconds(settings.duplicateWindowMs),
    notifications: settings.notifications,
    keyRatePerSecond: String(settings.keyRatePerSecond),
    keyBurst: String(settings.keyBurst),
    addressRatePerSecond: String(settings.addressRatePerSecond),
    addressBurst: String(settings.addressBurst),
  };
}

type Problem = { ok: false; field: string | null; message: string };

/** The duration fields: their form field, their setting, what they are called and their range in seconds. */
const DURATIONS = [
  { field: 'signatureWindowS', setting: 'signatureWindowMs', label: 'Signature window', min: 1, max: 300 },
  { field: 'orderWaitS', setting: 'orderWaitMs', label: 'Order wait', min: 0, max: 60 },
  { field: 'exchangeTimeoutS', setting: 'exchangeTimeoutMs', label: 'Exchange timeout', min: 0.2, max: 60 },
  { field: 'duplicateWindowS', setting: 'duplicateWindowMs', label: 'Duplicate window', min: 0, max: 600 },
] as const;

/** The rate limit fields: a rate of 0 turns its limit off; a burst is at least one request. */
const LIMITS = [
  { field: 'keyRatePerSecond', label: 'Orders per second per API key', min: 0, whole: false },
  { field: 'keyBurst', label: 'Burst per API key', min: 1, whole: true },
  { field: 'addressRatePerSecond', label: 'Requests per second per address', min: 0, whole: false },
  { field: 'addressBurst', label: 'Burst per address', min: 1, whole: true },
] as const;

function limitOf(limit: (typeof LIMITS)[number], text: string): number | Problem {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!(limit.whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(trimmed) || value < limit.min || value > 100_000) {
    return { ok: false, field: limit.field, message: `${limit.label}: expected ${limit.whole ? 'a whole number' : 'a number'} from ${limit.min} to 100000` };
  }
  return value;
}

function msOf(duration: (typeof DURATIONS)[number], text: string): number | Problem {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || value < duration.min || value > duration.max) {
    return { ok: false, field: duration.field, message: `${duration.label}: expected ${duration.min} to ${duration.max} seconds` };
  }
  return Math.round(value * 1000);
}

/** The body of PATCH /api/settings: only what changed, checked with the server's schema. */
export function settingsChanges(original: Settings, form: SettingsForm): { ok: true; value: SettingsChanges } | Problem {
  const changes: Record<string, unknown> = {};
  if (form.host.trim() !== original.host) changes['host'] = form.host.trim();
  const port = form.port.trim();
  if (port !== String(original.port)) {
    if (!/^\d+$/.test(port)) return { ok: false, field: 'port', message: 'port: expected a whole number from 0 to 65535' };
    changes['port'] = Number(port);
  }
  const tunnelPort = form.tunnelPort.trim();
  if (tunnelPort !== String(original.tunnelPort)) {
    if (!/^\d+$/.test(tunnelPort)) return { ok: false, field: 'tunnelPort', message: 'tunnelPort: expected a whole number from 0 to 65535' };
    changes['tunnelPort'] = Number(tunnelPort);
  }
  const publicUrl = form.publicUrl.trim() === '' ? null : form.publicUrl.trim();
  if (publicUrl !== original.publicUrl) changes['publicUrl'] = publicUrl;
  if (form.trustProxyHeaders !== original.trustProxyHeaders) changes['trustProxyHeaders'] = form.trustProxyHeaders;
  if (form.tradingViewAddressCheck !== original.tradingViewAddressCheck) changes['tradingViewAddressCheck'] = form.tradingViewAddressCheck;
  if (form.notifications !== original.notifications) changes['notifications'] = form.notifications;
  for (const duration of DURATIONS) {
    const ms = msOf(duration, form[duration.field]);
    if (typeof ms === 'object') return ms;
    if (ms !== original[duration.setting]) changes[duration.setting] = ms;
  }
  for (const limit of LIMITS) {
    const value = limitOf(limit, form[limit.field]);
    if (typeof value === 'object') return value;
    if (value !== original[limit.field]) changes[limit.field] = value;
  }
  const result = settingsChangesSchema.safeParse(changes);
  if (!result.success) return { ok: false, ...firstProblem(result.error) };
  return { ok: true, value: result.data };
}

/** Host and ports are read when the server starts. */
export function needsRestart(changes: SettingsChanges): boolean {
  return changes.host !== undefined || changes.port !== undefined || changes.tunnelPort !== undefined;
}
