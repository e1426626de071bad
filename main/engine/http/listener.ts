import type { Settings } from '../store/settings.js';

/**
 * The engine listens twice. `local`: the main port, for the UI, its one-time link, /api and local
 * bots' /v1/order. `tunnel`: a second port on 127.0.0.1 that a tunnel or reverse proxy is pointed at,
 * the public face, which serves POST /v1/order and nothing else (DESIGN.md "The public face").
 */
export type ListenerKind = 'local' | 'tunnel';

/**
 * Forwarded headers are anyone's to write. Only the tunnel's listener believes them: only the tunnel
 * should connect there, while any local program reaches the main port directly.
 */
export function trustsForwardedHeaders(listener: ListenerKind, settings: Pick<Settings, 'trustProxyHeaders'>): boolean {
  return listener === 'tunnel' && settings.trustProxyHeaders;
}
