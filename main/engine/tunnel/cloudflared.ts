import { homedir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, isExecutableFile } from './find-executable.js';
import { quickTunnelUrlIn } from './quick-tunnel-url.js';
import type { OpenTunnel } from './tunnel.js';
import { startTunnelProcess } from './tunnel-process.js';

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

/**
 * Starts a cloudflared quick tunnel (no Cloudflare account needed) to `localUrl` and resolves once
 * cloudflared has printed its public https://….trycloudflare.com address.
 */
export async function startCloudflaredTunnel(localUrl: string, options: CloudflaredOptions = {}): Promise<OpenTunnel> {
  const binary = locateCloudflared(options);
  // --no-autoupdate: an app-managed cloudflared must not replace itself (or restart) behind our back.
  return startTunnelProcess({
    kind: 'cloudflared',
    binary,
    args: ['tunnel', '--url', localUrl, '--no-autoupdate'],
    publicUrlIn: quickTunnelUrlIn,
    notFound: (message) => new CloudflaredNotFoundError(`${message}. ${CLOUDFLARED_INSTALL_HINT}`),
    ...(options.env ? { env: options.env } : {}),
    ...(options.urlTimeoutMs !== undefined ? { urlTimeoutMs: options.urlTimeoutMs } : {}),
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.recordFile ? { recordFile: options.recordFile } : {}),
  });
}
