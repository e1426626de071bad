import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APISIFY_BIN, tempDataDir } from '../support/apisify-process.js';
import { eventually, FIXTURES_DIR, isAlive } from './fake-cloudflared.js';

/** Only node on PATH: no cloudflared, no ngrok. */
const PATH_WITHOUT_TUNNELS = dirname(process.execPath);

function serve(dataDir: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [APISIFY_BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
    const started = Date.now();
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms))]);
}

describe('serve --tunnel when the tunnel cannot start', () => {
  it.each([
    ['cloudflared', /cloudflared is not installed/],
    // (ngrok-agent-trust.test.ts may hold 4040 with a stand-in agent meanwhile: then no tunnel of it forwards here.)
    ['ngrok', /no ngrok agent answers at http:\/\/127\.0\.0\.1:4040|none of its https tunnels forwards to port/],
  ])('--tunnel %s without the program: exits non-zero at once, naming why', async (kind, reason) => {
    const run = serve(tempDataDir(), ['--tunnel', kind], { PATH: PATH_WITHOUT_TUNNELS });
    const { code } = await within(run.exited, 15_000, `apisify serve --tunnel ${kind} to exit`);
    expect(code).toBe(1);
    expect(run.output().stderr).toMatch(reason);
    expect(run.output().stdout).toBe('');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('one %s stops it while the tunnel is still starting', async (signal) => {
    const dataDir = tempDataDir();
    const record = join(dataDir, 'cloudflared-record.json');
    // The stand-in that never prints a URL: the start waits (30 s) for one.
    const run = serve(dataDir, ['--tunnel', 'cloudflared'], { PATH: `${FIXTURES_DIR}${delimiter}${PATH_WITHOUT_TUNNELS}`, FAKE_CLOUDFLARED_MODE: 'silent', FAKE_CLOUDFLARED_RECORD: record });
    await eventually(() => existsSync(record), 'the engine to start its cloudflared');
    const { pid } = JSON.parse(readFileSync(record, 'utf8')) as { pid: number };
    run.child.kill(signal);
    const { code } = await within(run.exited, 10_000, `apisify serve to stop on one ${signal}`);
    expect(code).toBe(0);
    await eventually(() => !isAlive(pid), 'its cloudflared to end');
    expect(run.output().stdout).toBe('');
  });
});
