import type { Command } from 'commander';
import { SettingsStore } from '../engine/store/settings.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, withDataDir, withExamples } from './options.js';

/**
 * The UI's pause switch, for a headless server: a running server reads it from SQLite on every order,
 * so the next order is refused (503 trading_paused), as are those still waiting in a symbol's queue.
 */
function setPaused(paused: boolean, options: DataDirOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ db }) => {
    new SettingsStore(db).update({ paused });
    console.log(paused ? 'Trading paused: new orders are refused (503 trading_paused) and nothing more is sent. apisify resume turns it back on.' : 'Trading resumed: orders are accepted again.');
  });
}

export function registerPause(program: Command): void {
  const pause = program.command('pause').description('pause trading: the running server refuses every order (503) and sends nothing more, until apisify resume');
  withDataDir(pause);
  withExamples(pause, 'apisify pause', 'apisify pause --data-dir /var/lib/apisify');
  pause.action((options: DataDirOptions) => setPaused(true, options));

  const resume = program.command('resume').description('resume trading after apisify pause (or the UI\'s or the tray\'s pause)');
  withDataDir(resume);
  withExamples(resume, 'apisify resume');
  resume.action((options: DataDirOptions) => setPaused(false, options));
}
