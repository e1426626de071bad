import type { OpenTunnel } from './tunnel.js';

/**
 * ngrok needs an account and an authtoken, so apisify does not start it: the user runs
 * `ngrok http <port>` and we read the agent's local API (http://127.0.0.1:4040/api/tunnels, no auth).
 */
export interface NgrokOptions {
  /** The agent's web address; 4040 unless `web_addr` is set in ngrok's config. */
  apiUrl?: string;
  /** How often to check that the tunnel is still there; 0 turns the check off. */
  watchIntervalMs?: number;
  requestTimeoutMs?: number;
}

export const DEFAULT_NGROK_API_URL = 'http://127.0.0.1:4040';
const DEFAULT_WATCH_INTERVAL_MS = 15_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 3_000;

/** The part of one entry of GET /api/tunnels we read. */
export interface NgrokTunnelEntry {
  public_url?: unknown;
  proto?: unknown;
  config?: { addr?: unknown } | null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Whether ngrok's `config.addr` points at this machine's `port`. Agents write it as
 * "http://localhost:8470" (v3), "localhost:8470" (v2) or a bare "8470".
 */
export function forwardsToPort(addr: string, port: number): boolean {
  const trimmed = addr.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) === port;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) && portOf(url) === port;
}

/** The https public URL of the tunnel that forwards to `port`, or null. */
export function pickNgrokTunnel(body: unknown, port: number): string | null {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { tunnels?: unknown }).tunnels)) return null;
  for (const entry of (body as { tunnels: NgrokTunnelEntry[] }).tunnels) {
    const publicUrl = entry.public_url;
    const addr = entry.config?.addr;
    if (typeof publicUrl !== 'string' || !publicUrl.startsWith('https://')) continue;
    if (typeof addr !== 'string' || !forwardsToPort(addr, port)) continue;
    return publicUrl.replace(/\/+$/, '');
  }
  return null;
}

function describeForwards(body: unknown): string {
  const tunnels = (body as { tunnels?: NgrokTunnelEntry[] } | null)?.tunnels ?? [];
  const described = tunnels
    .filter((entry) => typeof entry.public_url === 'string')
    .map((entry) => `${String(entry.public_url)} -> ${typeof entry.config?.addr === 'string' ? entry.config.addr : '?'}`);
  return described.length === 0 ? 'it has no tunnels' : `it has ${described.join(', ')}`;
}

async function readTunnels(apiUrl: string, timeoutMs: number): Promise<unknown> {
  const response = await fetch(new URL('/api/tunnels', apiUrl), { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the ngrok agent at ${apiUrl} answered ${response.status}`);
  return (await response.json()) as unknown;
}

/**
 * Finds the running ngrok agent's https tunnel to `localUrl`'s port. Stopping it only stops watching:
 * the agent belongs to the user, who started it.
 */
export async function connectNgrokTunnel(localUrl: string, options: NgrokOptions = {}): Promise<OpenTunnel> {
  const apiUrl = options.apiUrl ?? DEFAULT_NGROK_API_URL;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const port = portOf(new URL(localUrl));
  const startHint = `run \`ngrok http ${port}\` and start the tunnel again`;

  let body: unknown;
  try {
    body = await readTunnels(apiUrl, timeoutMs);
  } catch (error) {
    const reason = error instanceof Error && error.message.startsWith('the ngrok agent') ? error.message : `no ngrok agent answers at ${apiUrl}`;
    throw new Error(`${reason}; ${startHint}`);
  }
  const publicUrl = pickNgrokTunnel(body, port);
  if (!publicUrl) throw new Error(`ngrok is running, but none of its https tunnels forwards to port ${port} (${describeForwards(body)}); ${startHint}`);

  let watching: NodeJS.Timeout | null = null;
  let stopped = false;
  let lostReason: string | null = null;
  const lostListeners: Array<(reason: string) => void> = [];
  const lose = (reason: string) => {
    if (stopped || lostReason !== null) return;
    lostReason = reason;
    if (watching) clearInterval(watching);
    for (const listener of lostListeners.splice(0)) listener(reason);
  };

  const interval = options.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  if (interval > 0) {
    let checking = false;
    watching = setInterval(() => {
      if (checking) return;
      checking = true;
      readTunnels(apiUrl, timeoutMs)
        .then((current) => {
          if (pickNgrokTunnel(current, port) !== publicUrl) lose(`the ngrok tunnel ${publicUrl} is gone, so the public URL no longer works; ${startHint}`);
        })
        .catch(() => lose(`the ngrok agent stopped answering at ${apiUrl}, so the public URL no longer works; ${startHint}`))
        .finally(() => {
          checking = false;
        });
    }, interval);
    // Watching must never keep a headless `apisify serve` alive on its own.
    watching.unref();
  }

  return {
    kind: 'ngrok',
    publicUrl,
    async stop() {
      stopped = true;
      if (watching) clearInterval(watching);
      watching = null;
    },
    onLost(listener) {
      if (stopped) return;
      if (lostReason !== null) listener(lostReason);
      else lostListeners.push(listener);
    },
  };
}
