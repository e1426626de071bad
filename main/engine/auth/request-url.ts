import type { Settings } from '../store/settings.js';

export interface RequestOrigin {
  /** The Host header as sent. */
  host: string | undefined;
  forwardedProto: string | undefined;
  forwardedHost: string | undefined;
}

const ORDER_PATH = '/v1/order';

function withAndWithoutDefaultPort(scheme: string, host: string): string[] {
  const defaultPort = scheme === 'https' ? '443' : '80';
  if (host.endsWith(`:${defaultPort}`)) return [host, host.slice(0, -defaultPort.length - 1)];
  return /:\d+$/.test(host) ? [host] : [host, `${host}:${defaultPort}`];
}

function firstValue(header: string | undefined): string | undefined {
  return header?.split(',')[0]?.trim() || undefined;
}

/**
 * The full URLs a client may have signed (docs/architecture.md, "Signature"): the one its Host header names,
 * the tunnel's forwarded one when proxy headers are trusted, and the configured public URL.
 */
export function signedUrlCandidates(origin: RequestOrigin, settings: Pick<Settings, 'publicUrl' | 'trustProxyHeaders'>): string[] {
  const urls = new Set<string>();
  if (origin.host) for (const host of withAndWithoutDefaultPort('http', origin.host)) urls.add(`http://${host}${ORDER_PATH}`);
  if (settings.trustProxyHeaders) {
    const scheme = firstValue(origin.forwardedProto) === 'http' ? 'http' : 'https';
    const host = firstValue(origin.forwardedHost) ?? origin.host;
    if (host) for (const candidate of withAndWithoutDefaultPort(scheme, host)) urls.add(`${scheme}://${candidate}${ORDER_PATH}`);
  }
  if (settings.publicUrl) urls.add(`${settings.publicUrl.replace(/\/+$/, '')}${ORDER_PATH}`);
  return [...urls];
}
