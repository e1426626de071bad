import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isProcessRunning } from '../process-running.js';

/**
 * A cloudflared whose engine was killed outright (SIGKILL, Force Quit, End task) has nobody left to
 * stop it: the exit hook in child-process-lifetime.ts never ran. It goes on pointing the public URL
 * at whatever listens on the port next, even after the user turned the tunnel off. So the running one
 * is written down in the data dir, and the next engine start ends it if it is still there.
 */
interface TunnelProcessRecord {
  /** The tunnel's process. */
  pid: number;
  /** The engine that started it: while that one lives, its tunnel is its own business. */
  ownerPid: number;
  /** Its arguments, which its command line must end with before it is taken for ours. */
  args: string[];
}

/** In the data dir, while a cloudflared runs. */
export const TUNNEL_RECORD_FILE = 'tunnel-process.json';

export type LeftoverOutcome = 'none' | 'ended' | 'gone' | 'owner-running' | 'not-ours';

/** Writes down `child` (just spawned with `args`) in `file`, and forgets it when it exits. */
export function rememberTunnelProcess(file: string, child: ChildProcess, args: readonly string[]): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const record: TunnelProcessRecord = { pid, ownerPid: process.pid, args: [...args] };
  writeFileSync(file, JSON.stringify(record), { mode: 0o600 });
  child.once('exit', () => {
    // A later tunnel may have written its own record meanwhile: only this one's is removed.
    if (readRecord(file)?.pid === pid) rmSync(file, { force: true });
  });
}

/**
 * Ends the tunnel process a killed engine left behind, if `file` names one. It is killed only when
 * the engine that started it is gone and the process's command line still ends with the recorded
 * arguments (a pid reused by another program is left alone).
 */
export function endLeftoverTunnel(file: string): LeftoverOutcome {
  const record = readRecord(file);
  if (!record) return 'none';
  if (isProcessRunning(record.ownerPid) && record.ownerPid !== process.pid) return 'owner-running';
  rmSync(file, { force: true });
  if (!isProcessRunning(record.pid)) return 'gone';
  const commandLine = commandLineOf(record.pid);
  if (commandLine === null || !commandLine.endsWith(` ${record.args.join(' ')}`)) return 'not-ours';
  process.kill(record.pid, 'SIGKILL');
  return 'ended';
}

function readRecord(file: string): TunnelProcessRecord | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const record = parsed as Partial<TunnelProcessRecord> | null;
  const valid = Number.isSafeInteger(record?.pid) && Number.isSafeInteger(record?.ownerPid) && Array.isArray(record?.args) && record.args.every((arg) => typeof arg === 'string');
  return valid ? (record as TunnelProcessRecord) : null;
}

/** The process's command line, its arguments joined by spaces; null where it cannot be read. */
function commandLineOf(pid: number): string | null {
  try {
    if (process.platform === 'linux') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    if (process.platform === 'win32') {
      const script = `(Get-CimInstance Win32_Process -Filter "ProcessId=${pid}").CommandLine`;
      return execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', windowsHide: true, timeout: 10_000 }).trim() || null;
    }
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 10_000 }).trim() || null;
  } catch {
    return null;
  }
}
