import type { Middleware } from 'koa';
import type { Settings } from '../store/settings.js';
import { ApiError } from './api-error.js';
import { type ListenerKind, trustsForwardedHeaders } from './listener.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `name[:port]` or `[v6 address][:port]`, and nothing else: a Host such as `localhost:1@evil.example` names no host. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/;

function hostnameOf(host: string): string | null {
  return HOST_HEADER.exec(host)?.[1] ?? null;
}

/** The public URL's host name, or null. */
export function publicHostname(settings: Pick<Settings, 'publicUrl'>): string | null {
  if (!settings.publicUrl) return null;
  try {
    return new URL(settings.publicUrl).hostname;
  } catch {
    // An unparsable public URL names no host.
    return null;
  }
}

/**
 * The host names a listener answers to: loopback on both; the address the main one was told to bind
 * on the main one; the public URL's host on the tunnel's one only, so the UI, its link and /api never
 * answer to the public name, whichever port a request reached.
 */
export function allowedHostnames(settings: Pick<Settings, 'host' | 'publicUrl'>, listener: ListenerKind = 'tunnel'): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (listener === 'local' && settings.host && !['0.0.0.0', '::'].includes(settings.host)) names.add(settings.host.includes(':') ? `[${settings.host}]` : settings.host);
  const publicName = publicHostname(settings);
  if (listener === 'tunnel' && publicName) names.add(publicName);
  return names;
}

/**
 * Defeats DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 still sends
 * `Host: evil.example`, which is refused. Forwarded hosts count only where forwarded headers are believed.
 */
export function hostGuard(settings: () => Settings, listener: ListenerKind): Middleware {
  return async (ctx, next) => {
    const current = settings();
    const allowed = allowedHostnames(current, listener);
    const hosts = [ctx.get('Host')];
    if (trustsForwardedHeaders(listener, current) && ctx.get('X-Forwarded-Host')) hosts.push(ctx.get('X-Forwarded-Host').split(',')[0]?.trim() ?? '');
    for (const host of hosts) {
      const hostname = hostnameOf(host.trim().toLowerCase());
      if (hostname !== null && allowed.has(hostname)) continue;
      if (listener === 'local' && hostname !== null && hostname === publicHostname(current)) {
        throw new ApiError(403, 'host_not_allowed', `Host: ${JSON.stringify(host)} is the public URL's host, which only the tunnel's port answers to; point the tunnel at 127.0.0.1:${current.tunnelPort || '<the tunnel port>'}`);
      }
      throw new ApiError(403, 'host_not_allowed', `Host: ${JSON.stringify(host)} is not a name of this server; use 127.0.0.1 or localhost, or set the public URL`);
    }
    await next();
  };
}
