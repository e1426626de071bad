import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCloudflaredTunnel } from '../../main/engine/tunnel/cloudflared.js';
import type { OpenTunnel } from '../../main/engine/tunnel/tunnel.js';
import { endLeftoverTunnel, TUNNEL_RECORD_FILE } from '../../main/engine/tunnel/leftover-tunnel.js';
import { eventually, fakeCloudflared, isAlive } from './fake-cloudflared.js';

const LOCAL_URL = 'http://127.0.0.1:48470';
const TUNNEL_ARGS = ['tunnel', '--url', LOCAL_URL, '--no-autoupdate'];

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function recordFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apisify-leftover-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, TUNNEL_RECORD_FILE);
}

/** A running process that is not a tunnel, ended after the test. */
function bystander(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  return child.pid as number;
}

/** A pid no process has now: a short-lived child, reaped. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

/** The stand-in cloudflared, started with a record file; both ended after the test. */
async function recordedTunnel(): Promise<{ file: string; pid: number; tunnel: OpenTunnel }> {
  const fake = fakeCloudflared('tunnel');
  cleanups.push(() => fake.cleanup());
  const file = recordFile();
  const tunnel = await startCloudflaredTunnel(LOCAL_URL, { env: fake.env, extraDirs: [], recordFile: file });
  cleanups.push(() => tunnel.stop());
  return { file, pid: fake.recorded().pid, tunnel };
}

describe('the tunnel process record', () => {
  it('names the running cloudflared while it runs, and is gone after stop()', async () => {
    const { file, pid, tunnel } = await recordedTunnel();
    const record = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; ownerPid: number; args: string[] };
    expect(record).toEqual({ pid, ownerPid: process.pid, args: TUNNEL_ARGS });
    await tunnel.stop();
    await eventually(() => !existsSync(file), 'the record to be removed');
  });

  it('ends a leftover tunnel whose engine is gone', async () => {
    // Started by this process but recorded as another's, whose engine has since ended.
    const { file, pid } = await recordedTunnel();
    writeFileSync(file, JSON.stringify({ pid, ownerPid: await endedPid(), args: TUNNEL_ARGS }));

    expect(endLeftoverTunnel(file)).toBe('ended');
    await eventually(() => !isAlive(pid), 'the leftover cloudflared to end');
    expect(existsSync(file)).toBe(false);
  });

  it('leaves the tunnel of an engine that still runs alone', async () => {
    const file = recordFile();
    const process = bystander();
    const owner = bystander();
    writeFileSync(file, JSON.stringify({ pid: process, ownerPid: owner, args: TUNNEL_ARGS }));
    expect(endLeftoverTunnel(file)).toBe('owner-running');
    expect(isAlive(process)).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('leaves a process alone whose command line is not the recorded tunnel (a reused pid)', async () => {
    const file = recordFile();
    const other = bystander();
    writeFileSync(file, JSON.stringify({ pid: other, ownerPid: await endedPid(), args: TUNNEL_ARGS }));
    expect(endLeftoverTunnel(file)).toBe('not-ours');
    expect(isAlive(other)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('forgets a record whose process already ended, and ignores a missing or damaged one', async () => {
    const file = recordFile();
    writeFileSync(file, JSON.stringify({ pid: await endedPid(), ownerPid: await endedPid(), args: TUNNEL_ARGS }));
    expect(endLeftoverTunnel(file)).toBe('gone');
    expect(existsSync(file)).toBe(false);
    expect(endLeftoverTunnel(file)).toBe('none');
    writeFileSync(file, '{"pid": "1"');
    expect(endLeftoverTunnel(file)).toBe('none');
  });
});
