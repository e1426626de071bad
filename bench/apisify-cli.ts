import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The real command, as a user runs it (npm run bench builds dist/ first). */
const APISIFY_BIN = fileURLToPath(new URL('../../bin/apisify.js', import.meta.url));

/** Runs `apisify ARGS --data-dir DIR`, feeding `input` on standard input; throws with its stderr when it fails. */
export function apisify(dataDir: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [APISIFY_BIN, ...args, '--data-dir', dataDir], (error, stdout, stderr) => {
      if (error) reject(new Error(`apisify ${args[0]} ${args[1] ?? ''} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input ?? '');
  });
}

export interface ServeProcess {
  url: string;
  pid: number;
  /** From spawn to the listening line on stdout, in ms. */
  listeningAfterMs: number;
  stderr(): string;
  /** SIGTERM, then waits for the exit (the engine drains orders under way first). */
  stop(): Promise<number | null>;
}

/** Starts `apisify serve --port 0 --json` and waits for its first line: `{"url": …}`, printed once it listens. */
export async function startServe(dataDir: string, options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<ServeProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), APISIFY_BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`apisify serve did not start within 30 s: ${stderr}`)), 30_000);
      // The first line that is the server's JSON; node flags such as --trace-gc may print before it.
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('{"url"')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      });
      void exited.then((code) => reject(new Error(`apisify serve exited with ${code}: ${stderr}`)));
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const listeningAfterMs = performance.now() - started;
  return {
    url,
    pid: child.pid as number,
    listeningAfterMs,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
