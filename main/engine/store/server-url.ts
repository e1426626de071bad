import type { Database } from './database.js';

/** Where the server on this data dir listens, so `apisify ui` can build a link to it. */
export function recordServerUrl(db: Database, url: string | null): void {
  if (url === null) db.prepare("DELETE FROM meta WHERE key = 'server_url'").run();
  else db.prepare("INSERT INTO meta (key, value) VALUES ('server_url', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(url);
}

export function runningServerUrl(db: Database): string | null {
  return db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'server_url'").get()?.value ?? null;
}
