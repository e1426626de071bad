import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of another process in bytes: /proc on Linux, `ps` elsewhere. */
export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

let ticksPerSecond: number | null = null;

export interface CpuTime {
  userMs: number;
  systemMs: number;
}

/** CPU time another process has used so far, in user and kernel mode; null where /proc is not there. */
export function cpuTime(pid: number): CpuTime | null {
  try {
    // Fields after the command name, which sits in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return { userMs: (Number(fields[11]) / ticksPerSecond) * 1000, systemMs: (Number(fields[12]) / ticksPerSecond) * 1000 };
  } catch {
    return null;
  }
}

/** CPU used between two readings; null when either is missing. */
export function cpuSpent(before: CpuTime | null, after: CpuTime | null): CpuTime | null {
  return before && after ? { userMs: after.userMs - before.userMs, systemMs: after.systemMs - before.systemMs } : null;
}
