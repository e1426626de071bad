import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/** This boot of the machine: its id where the system gives one (Linux), and when it booted. */
export interface MachineBoot {
  id: string | null;
  /** ms since the epoch, from the uptime: moves with the wall clock. */
  bootedAt: number;
}

/** What a run keeps of the boot it ran on. */
export interface RunBoot {
  id: string | null;
  /** When the run opened its journal ids (ms since the epoch). */
  openedAt: number;
}

export function machineBoot(): MachineBoot {
  let id: string | null = null;
  try {
    id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    // not Linux: the boot time alone tells
  }
  return { id, bootedAt: Date.now() - uptime() * 1_000 };
}

/**
 * Whether the machine booted again since a run opened: by the boot's id where both have one, else
 * by this boot having begun after the run opened (a quick reboot counts; a wall clock set forward
 * past the run's start may count wrongly, which costs the next start a warning and look-ups).
 */
export function bootedSince(run: RunBoot, now: MachineBoot): boolean {
  if (run.id !== null && now.id !== null) return run.id !== now.id;
  return now.bootedAt > run.openedAt;
}
