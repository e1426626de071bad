import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { withoutApisifyVariables } from './child-env.js';
import { killOnExit, stopChildProcess } from './child-process-lifetime.js';
import { rememberTunnelProcess } from './leftover-tunnel.js';
import { type OpenTunnel, TunnelCancelledError, type TunnelKind } from './tunnel.js';

export interface TunnelProcessOptions {
  kind: TunnelKind;
  binary: string;
  args: string[];
  /** The public https URL a line of the program's output announces, or null. */
  publicUrlIn: (line: string) => string | null;
  /** The error for a binary that vanished between finding it and starting it. */
  notFound: (message: string) => Error;
  env?: NodeJS.ProcessEnv;
  /** How long the program may take to print the public URL. */
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

/**
 * Runs a tunnel program apisify starts itself (cloudflared, ngrok) and resolves once its output
 * announces the public URL. The process ends with apisify; if it dies, the tunnel is reported lost.
 */
export async function startTunnelProcess(options: TunnelProcessOptions): Promise<OpenTunnel> {
  const { kind, binary, args } = options;
  const urlTimeoutMs = options.urlTimeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  if (options.signal?.aborted) throw new TunnelCancelledError();

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
        kind,
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
      fail(new Error(`${kind} gave no public URL within ${Math.round(urlTimeoutMs / 1000)} s (is this machine online?); ${lastWords(recentLines)}`));
    }, urlTimeoutMs);

    // Both pipes are read to the end, even after the URL is found: a child whose pipe fills up blocks.
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        recentLines.push(line);
        if (recentLines.length > RECENT_LINES_KEPT) recentLines.shift();
        const publicUrl = options.publicUrlIn(line);
        if (publicUrl) succeed(publicUrl);
      });
    }

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') fail(options.notFound(`${kind} could not be started from ${binary}: it is gone`));
      else if (error.code === 'EACCES') fail(new Error(`${kind} at ${binary} may not be run (permission denied); make it executable`));
      else fail(new Error(`${kind} could not be started from ${binary}: ${error.message}`));
    });

    // 'close' rather than 'exit': it comes after the pipes are drained, so the last words are in recentLines.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (!settled) {
        fail(new Error(`${kind} stopped before the tunnel was up (${describeExit(code, signal)}); ${lastWords(recentLines)}`));
        return;
      }
      if (stopping || lostReason !== null) return;
      lostReason = `${kind} stopped unexpectedly (${describeExit(code, signal)}), so the public URL no longer works; ${lastWords(recentLines)}`;
      for (const listener of lostListeners.splice(0)) listener(lostReason);
    });
  });
}
