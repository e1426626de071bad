import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built command (npm test builds first), run as a user would run it. */
export const APISIFY_BIN = fileURLToPath(new URL('../../bin/apisify.js', import.meta.url));

const execFileAsync = promisify(execFile);

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'apisify-test-'));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `apisify ARGS --data-dir DIR` and returns its exit code and output (never throws on a non-zero exit). */
export async function apisify(dataDir: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  try {
    const child = execFileAsync(process.execPath, [APISIFY_BIN, ...args, '--data-dir', dataDir], { env: { ...process.env, ...options.env } });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface IssuedKey {
  id: number;
  apikey: string;
  secret: string;
  tradingview: boolean;
}

export async function createKey(dataDir: string, ...flags: string[]): Promise<IssuedKey> {
  const result = await apisify(dataDir, ['keys', 'create', '--label', 'test', '--json', ...flags]);
  if (result.code !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as IssuedKey;
}

export interface RunningServer {
  url: string;
  ui: string;
  /** Set with --tunnel: the public webhook URL. */
  webhook?: string;
  /** The tunnel's own listener (POST /v1/order only), what a tunnel forwards to. */
  tunnelListener: string;
  /** What serve says the user must check about the tunnel, if anything. */
  notice?: string;
  dataDir: string;
  process: ChildProcess;
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `apisify serve --port 0 --json` and waits for its first line. */
export async function startServer(dataDir = tempDataDir(), extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [APISIFY_BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir, ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error(`apisify serve did not start: ${stderr}`)), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    void exited.then((code) => reject(new Error(`apisify serve exited with ${code}: ${stderr}`)));
  });
  const { url, ui, webhook, tunnelListener, notice } = JSON.parse(firstLine) as { url: string; ui: string; webhook?: string; tunnelListener: string; notice?: string };
  return {
    url,
    ui,
    tunnelListener,
    ...(webhook ? { webhook } : {}),
    ...(notice ? { notice } : {}),
    dataDir,
    process: child,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
