import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run the stand-in cloudflared in fixtures/. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const FAKE_PUBLIC_URL = 'https://quietly-amber-harbor-lights.trycloudflare.com';

export type FakeMode = 'tunnel' | 'fail' | 'silent' | 'crash-after-url' | 'ignore-sigterm';

export interface FakeRun {
  /** The environment to hand to the tunnel code: the stand-in first on PATH. */
  env: NodeJS.ProcessEnv;
  /** The pid, arguments and environment variable names the stand-in recorded when it started. */
  recorded(): { pid: number; args: string[]; environment: string[] };
  cleanup(): void;
}

export function fakeCloudflared(mode: FakeMode, extra: NodeJS.ProcessEnv = {}): FakeRun {
  // Git may drop the execute bit on checkout; the stand-in must be runnable the way PATH lookup expects.
  chmodSync(join(FIXTURES_DIR, 'cloudflared'), 0o755);
  const dir = mkdtempSync(join(tmpdir(), 'apisify-tunnel-'));
  const record = join(dir, 'record.json');
  return {
    env: { ...process.env, PATH: `${FIXTURES_DIR}${delimiter}${process.env['PATH'] ?? ''}`, FAKE_CLOUDFLARED_MODE: mode, FAKE_CLOUDFLARED_RECORD: record, ...extra },
    recorded() {
      if (!existsSync(record)) throw new Error('the stand-in cloudflared never started');
      return JSON.parse(readFileSync(record, 'utf8')) as { pid: number; args: string[]; environment: string[] };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether `pid` is a running process; a zombie (ended, not yet reaped by its new parent) counts as ended. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Waits until `predicate` holds, polling; fails the test with `what` after `timeoutMs`. */
export async function eventually(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A directory with nothing in it, to stand for a PATH without cloudflared. */
export function emptyDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'apisify-empty-path-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
