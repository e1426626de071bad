import type { EngineStatus } from '../../../shared/engine-status.js';

/** Where TradingView posts: the public URL (tunnel or configured) when there is one, else the local address. */
export function webhookUrl(status: Pick<EngineStatus, 'url' | 'publicUrl'>): string {
  const base = (status.publicUrl ?? status.url).replace(/\/+$/, '');
  return `${base}/v1/order`;
}

const LOCAL_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/i;

/** Why TradingView cannot use this URL, or null when it can. */
export function webhookProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The server address is not known yet.';
  }
  if (LOCAL_HOSTS.test(parsed.hostname)) {
    return 'This address is only reachable from this computer. TradingView needs a public URL: start a tunnel from the tray (or `apisify serve --tunnel cloudflared`), or set the public URL in Settings.';
  }
  if (parsed.protocol !== 'https:') {
    return 'This URL is plain http: the alert would carry your API key across the internet unencrypted. Use the tunnel (its URL is https), or set an https public URL in Settings.';
  }
  const port = parsed.port === '' ? '443' : parsed.port;
  if (port !== '80' && port !== '443') return `TradingView only posts to ports 80 and 443; this URL uses port ${port}.`;
  return null;
}
