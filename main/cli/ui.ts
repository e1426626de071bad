import { parseArgs } from 'node:util';
import { UiSessions } from '../engine/http/ui-session.js';
import { runningServerUrl } from '../engine/store/server-url.js';
import { openDataDir } from './open-store.js';
import { UsageError } from './usage-error.js';

/** Prints a fresh one-time UI link for the server running on this data dir. */
export async function uiCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const { db } = openDataDir(values['data-dir']);
  try {
    const url = runningServerUrl(db);
    if (!url) throw new UsageError('ui: no apisify server is running on this data dir; start one with apisify serve');
    console.log(`${url}/?token=${new UiSessions(db, () => Number(new URL(url).port)).mintToken()}`);
  } finally {
    db.close();
  }
}
