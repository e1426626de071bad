import type { Command } from 'commander';
import { UiSessions } from '../engine/http/ui-session.js';
import { runningServerUrl } from '../engine/store/server-url.js';
import { withDataDir as openingDataDir } from './open-store.js';
import { type DataDirOptions, withDataDir, withExamples } from './options.js';
import { UsageError } from './usage-error.js';

/** Prints a fresh one-time UI link for the server running on this data dir. */
function ui(options: DataDirOptions): Promise<void> {
  return openingDataDir(options.dataDir, 'read', ({ db }) => {
    const url = runningServerUrl(db);
    if (!url) throw new UsageError('no apisify server is running on this data dir; start one with apisify serve');
    console.log(`${url}/?token=${new UiSessions(db, () => Number(new URL(url).port)).mintToken()}`);
  });
}

export function registerUi(program: Command): void {
  const command = program.command('ui').description("print a new one-time link to the running server's UI (it opens once, within 10 minutes)");
  withDataDir(command);
  withExamples(command, 'apisify ui', 'xdg-open "$(apisify ui)"');
  command.action((options: DataDirOptions) => ui(options));
}
