import type { ConnectionState } from '../engine/engine-connection.js';

/** What the disconnected screen says, or null while the engine answers (or the first connection is being made). */
export interface ConnectionNotice {
  title: string;
  detail: string;
  /** How to get back in, when the window cannot by itself. */
  howBack: string | null;
}

/**
 * A stopped engine leaves the page showing its last status ("Trading running", counts) as if it were
 * current: say so over it. While it is only unreachable the stream keeps retrying and the page comes back
 * by itself; an engine that restarted has forgotten this window's session (sessions live in its memory),
 * so only a new one-time link gets back in.
 */
export function connectionNotice(state: ConnectionState, lastLiveAt: string | null): ConnectionNotice | null {
  const since = lastLiveAt ? ` since ${lastLiveAt}` : '';
  const dropped = lastLiveAt ? ` (the connection dropped at ${lastLiveAt})` : '';
  if (state === 'reconnecting') {
    return {
      title: 'Not connected to apisify',
      detail: `The engine has not answered${since}: what is shown below may be out of date, and nothing can be changed until it is back. Trying again…`,
      howBack: null,
    };
  }
  if (state === 'session-lost') {
    return {
      title: "This window's session has ended",
      detail: `apisify restarted${dropped}, and a restart ends the sessions of open windows: what is shown below is out of date.`,
      howBack: 'To get back in: Open apisify from the tray, or run "apisify ui" (with the server\'s --data-dir, if it has one) and open the link it prints.',
    };
  }
  return null;
}
