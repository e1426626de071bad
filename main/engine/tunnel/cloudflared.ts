import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { killOnExit, stopChildProcess } from './child-process-lifetime.js';
import { findExecutable, isExecutableFile } from './find-executable.js';
import { rememberTunnelProcess } from './leftover-tunnel.js';
import { quickTunnelUrlIn } from './quick-tunnel-url.js';
import { type OpenTunnel, TunnelCancelledError } from './tunnel.js';

export interface CloudflaredOptions {
  /** A path the user configured; when set, it is the only place we look. */
  binaryPath?: string | null;
  /** Used to find the binary and passed to it. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Searched after PATH; defaults to the usual install folders (see defaultCloudflaredDirs). */
  extraDirs?: readonly string[];
  /** How long cloudflared may take to print the public URL (it gives up on its own request after 15 s). */
  urlTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before it kills. */
  stopGraceMs?: number;
  /** Aborting cancels a start that is still waiting for the URL, and ends the process. */
  signal?: AbortSignal;
  /** Where the running process is written down, for the next start to end it if this one is killed (leftover-tunnel.ts). */
  recordFile?: string;
}

const DEFAULT_URL_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 3_000;
/** Enough output to explain a failure, not so much that a chatty process costs memory. */
const RECENT_LINES_KEPT = 20;

export const CLOUDFLARED_INSTALL_HINT =
  'Install cloudflared: on macOS `brew install cloudflared`; on Windows `winget install --id Cloudflare.cloudflared`; ' +
  'on Linux the cloudflared package or binary from https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/ . ' +
  'Then start the tunnel again.';

export class CloudflaredNotFoundError extends Error {
  override readonly name = 'CloudflaredNotFoundError';
}

/**
 * Where installers put cloudflared that a desktop app's PATH may not include: apps started from the
 * macOS Dock or Finder get only /usr/bin:/bin:/usr/sbin:/sbin, not Homebrew's folders.
 */
export function defaultCloudflaredDirs(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') return ['/opt/homebrew/bin', '/usr/local/bin'];
  if (platform === 'win32') {
    return [env['ProgramFiles(x86)'], env['ProgramFiles'], env['ProgramW6432']]
      .filter((dir): dir is string => Boolean(dir))
      .map((dir) => join(dir, 'cloudflared'));
  }
  return ['/usr/local/bin', '/usr/bin', join(homedir(), '.local', 'bin')];
}

/** The cloudflared binary to run, or a CloudflaredNotFoundError that says how to install it. */
export function locateCloudflared(options: CloudflaredOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (options.binaryPath) {
    if (isExecutableFile(options.binaryPath, platform)) return options.binaryPath;
    throw new CloudflaredNotFoundError(`cloudflared was not found at ${options.binaryPath} (the configured path), or it is not executable. Fix or clear the path. ${CLOUDFLARED_INSTALL_HINT}`);
  }
  const found = findExecutable('cloudflared', { env, platform, extraDirs: options.extraDirs ?? defaultCloudflaredDirs(platform, env) });
  if (found) return found;
  throw new CloudflaredNotFoundError(`cloudflared is not installed (it is not on PATH nor in the usual install folders). ${CLOUDFLARED_INSTALL_HINT}`);
}

function withoutLogPrefix(line: string): string {
  // "2024-05-01T10:00:03Z ERR message" -> "ERR message": the time adds nothing to an error shown now.
  return line.replace(/^\d{4}-\d\d-\d\dT\S+\s+/, '').trim();
}

function lastWords(lines: readonly string[]): string {
  const meaningful = lines.map(withoutLogPrefix).filter((line) => line.length > 0);
  return meaningful.length === 0 ? 'it printed nothing' : `it said: ${meaningful.slice(-3).join(' / ')}`;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** apisify's own variables (APISIFY_MASTER_PASSWORD among them) are no business of a third-party, network-facing binary. */
function withoutApisifyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('APISIFY_')));
}

/**
 * Starts a cloudflared quick tunnel (no Cloudflare account needed) to `localUrl` and resolves once
 * cloudflared has printed its public https://….trycloudflare.com address.
 */
export async function startCloudflaredTunnel(localUrl: string, options: CloudflaredOptions = {}): Promise<OpenTunnel> {
  const binary = locateCloudflared(options);
  const urlTimeoutMs = options.urlTimeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  if (options.signal?.aborted) throw new TunnelCancelledError();

  // --no-autoupdate: an app-managed cloudflared must not replace itself (or restart) behind our back.
  const args = ['tunnel', '--url', localUrl, '--no-autoupdate'];
  const child = spawn(binary, args, {
    env: withoutApisifyVariables(options.env ?? process.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  killOnExit(child);
  if (options.recordFile) rememberTunnelProcess(options.recordFile, child, args);

  const recentLines: string[] = [];
  let stopping = false;
  let lostReason: string | null = null;
  const lostListeners: Array<(reason: string) => void> = [];

  return new Promise<OpenTunnel>((resolve, reject) => {
    let settled = false;
    let urlTimer: NodeJS.Timeout | undefined;

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(urlTimer);
      options.signal?.removeEventListener('abort', onAbort);
      stopping = true;
      void stopChildProcess(child, stopGraceMs).then(() => reject(error));
    };

    const succeed = (publicUrl: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(urlTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        kind: 'cloudflared',
        publicUrl,
        async stop() {
          stopping = true;
          await stopChildProcess(child, stopGraceMs);
        },
        onLost(listener) {
          if (lostReason !== null) listener(lostReason);
          else lostListeners.push(listener);
        },
      });
    };

    const onAbort = () => fail(new TunnelCancelledError());
    options.signal?.addEventListener('abort', onAbort, { once: true });

    urlTimer = setTimeout(() => {
      fail(new Error(`cloudflared gave no public URL within ${Math.round(urlTimeoutMs / 1000)} s (is this machine online?); ${lastWords(recentLines)}`));
    }, urlTimeoutMs);

    // Both pipes are read to the end, even after the URL is found: a child whose pipe fills up blocks.
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        recentLines.push(line);
        if (recentLines.length > RECENT_LINES_KEPT) recentLines.shift();
        const publicUrl = quickTunnelUrlIn(line);
        if (publicUrl) succeed(publicUrl);
      });
    }

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') fail(new CloudflaredNotFoundError(`cloudflared could not be started from ${binary}: it is gone. ${CLOUDFLARED_INSTALL_HINT}`));
      else if (error.code === 'EACCES') fail(new Error(`cloudflared at ${binary} may not be run (permission denied); make it executable`));
      else fail(new Error(`cloudflared could not be started from ${binary}: ${error.message}`));
    });

    // 'close' rather than 'exit': it comes after the pipes are drained, so the last words are in recentLines.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (!settled) {
        fail(new Error(`cloudflared stopped before the tunnel was up (${describeExit(code, signal)}); ${lastWords(recentLines)}`));
        return;
      }
      if (stopping || lostReason !== null) return;
      lostReason = `cloudflared stopped unexpectedly (${describeExit(code, signal)}), so the public URL no longer works; ${lastWords(recentLines)}`;
      for (const listener of lostListeners.splice(0)) listener(lostReason);
    });
  });
}
