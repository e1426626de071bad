import type { Middleware } from 'koa';
import type { Settings } from '../store/settings.js';
import { ApiError } from './api-error.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `name[:port]` or `[v6 address][:port]`, and nothing else: a Host such as `localhost:1@evil.example` names no host. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/;

function hostnameOf(host: string): string | null {
  return HOST_HEADER.exec(host)?.[1] ?? null;
}

/** The host names this server answers to: loopback, the address it was told to bind, and the public URL's host. */
export function allowedHostnames(settings: Pick<Settings, 'host' | 'publicUrl'>): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (settings.host && !['0.0.0.0', '::'].includes(settings.host)) names.add(settings.host.includes(':') ? `[${settings.host}]` : settings.host);
  if (settings.publicUrl) {
    try {
      names.add(new URL(settings.publicUrl).hostname);
    } catch {
      // An unparsable public URL adds nothing.
    }
  }
  return names;
}

/**
 * Defeats DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 still sends
 * `Host: evil.example`, which is refused. Forwarded hosts count only when proxy headers are trusted.
 */
export function hostGuard(settings: () => Settings): Middleware {
  return async (ctx, next) => {
    const current = settings();
    const allowed = allowedHostnames(current);
    const hosts = [ctx.get('Host')];
    if (current.trustProxyHeaders && ctx.get('X-Forwarded-Host')) hosts.push(ctx.get('X-Forwarded-Host').split(',')[0]?.trim() ?? '');
    for (const host of hosts) {
      const hostname = hostnameOf(host.trim().toLowerCase());
      if (hostname === null || !allowed.has(hostname)) {
        throw new ApiError(403, 'host_not_allowed', `Host: ${JSON.stringify(host)} is not a name of this server; use 127.0.0.1 or localhost, or set the public URL`);
      }
    }
    await next();
  };
}
