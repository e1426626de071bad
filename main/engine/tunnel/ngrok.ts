import { homedir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './find-executable.js';
import type { OpenTunnel } from './tunnel.js';
import { startTunnelProcess } from './tunnel-process.js';

/**
 * ngrok, two ways. Preferred: apisify runs `ngrok http <the tunnel port>` itself (the user has set
 * ngrok's authtoken once, `ngrok config add-authtoken`) and reads the public URL from that process's
 * own log. Otherwise: an agent the user started, read from its local API
 * (http://127.0.0.1:4040/api/tunnels, no auth). Any program on this machine can answer there, so
 * its URL comes with a notice saying apisify did not start that agent.
 */
export interface NgrokOptions {
  /** The agent's web address; 4040 unless `web_addr` is set in ngrok's config. */
  apiUrl?: string;
  /** Used to find the ngrok binary and passed to it. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Searched after PATH. */
  extraDirs?: readonly string[];
  /** How long a started ngrok may take to announce its URL. */
  urlTimeoutMs?: number;
  stopGraceMs?: number;
  signal?: AbortSignal;
  /** Where a started ngrok is written down, for the next start to end it if this one is killed. */
  recordFile?: string;
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

/** How an agent may name the tunnel's listener (127.0.0.1): 0.0.0.0 is no address of ours. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

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
  const notice = `apisify did not start this ngrok (no ngrok program was found to run), so the webhook URL is what the program answering at ${options.apiUrl ?? DEFAULT_NGROK_API_URL} says, and any program on this machine can answer there: check on your ngrok dashboard that it is yours`;
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
    notice,
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

/** Where installers put ngrok that a desktop app's PATH may not include. */
function defaultNgrokDirs(platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['/opt/homebrew/bin', '/usr/local/bin'];
  if (platform === 'win32') return [];
  return ['/usr/local/bin', '/usr/bin', '/snap/bin', join(homedir(), '.local', 'bin')];
}

/**
 * The public URL a line of ngrok's JSON log announces (`--log stdout --log-format json`): the line
 * `{"msg":"started tunnel", "addr": "http://127.0.0.1:8471", "url": "https://…", …}`, and only when it
 * forwards to `port`.
 */
export function ngrokLogUrl(line: string, port: number): string | null {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof entry !== 'object' || entry === null) return null;
  const { msg, url, addr } = entry as { msg?: unknown; url?: unknown; addr?: unknown };
  if (msg !== 'started tunnel' || typeof url !== 'string' || !url.startsWith('https://')) return null;
  if (typeof addr === 'string' && !forwardsToPort(addr, port)) return null;
  return url.replace(/\/+$/, '');
}

/**
 * The ngrok tunnel to `localUrl` (the engine's tunnel listener): an ngrok apisify starts itself when
 * one is installed, else a running agent's (with a notice that apisify did not start it).
 */
export async function startNgrokTunnel(localUrl: string, options: NgrokOptions = {}): Promise<OpenTunnel> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const binary = findExecutable('ngrok', { env, platform, extraDirs: options.extraDirs ?? defaultNgrokDirs(platform) });
  if (!binary) return connectNgrokTunnel(localUrl, options);
  const port = portOf(new URL(localUrl));
  return startTunnelProcess({
    kind: 'ngrok',
    binary,
    args: ['http', localUrl, '--log', 'stdout', '--log-format', 'json'],
    publicUrlIn: (line) => ngrokLogUrl(line, port),
    notFound: (message) => new Error(`${message}; install ngrok, or run \`ngrok http ${port}\` yourself and start the tunnel again`),
    env,
    ...(options.urlTimeoutMs !== undefined ? { urlTimeoutMs: options.urlTimeoutMs } : {}),
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.recordFile ? { recordFile: options.recordFile } : {}),
  });
}
