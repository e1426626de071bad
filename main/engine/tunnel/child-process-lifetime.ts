import type { ChildProcess } from 'node:child_process';

/**
 * Children that must not outlive us. A child spawned by Node keeps running when its parent exits,
 * and a forgotten cloudflared would keep the public URL pointing at whatever later listens on the port.
 */
const livingChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLivingChildren(): void {
  // 'exit' listeners must be synchronous: kill() only sends the signal, which is all there is time for.
  for (const child of livingChildren) child.kill('SIGKILL');
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Kills `child` when this process exits (normally or through an uncaught error) if it is still running then. */
export function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    process.on('exit', killLivingChildren);
    exitHookInstalled = true;
  }
  livingChildren.add(child);
  child.once('exit', () => livingChildren.delete(child));
}

/**
 * Asks `child` to stop (SIGTERM; TerminateProcess on Windows) and, if it is still there after `graceMs`,
 * kills it. Resolves once it has exited. cloudflared's own grace period is 30 s, too long for a Quit.
 */
export function stopChildProcess(child: ChildProcess, graceMs: number): Promise<void> {
  // No pid: it never started (spawn failed), so there is nothing to stop and no 'exit' will come.
  if (child.pid === undefined || hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!hasExited(child)) child.kill('SIGKILL');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
