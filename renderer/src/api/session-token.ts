import { UI_SESSION_FRAGMENT_KEY, UI_SESSION_HEADER, UI_SESSION_QUERY_KEY, UI_SESSION_STORAGE_KEY } from '../../../shared/ui-session.js';

/** Web storage is per origin, port included: a page on another local port cannot read it, as it gets the cookie. */
const STORAGE_KEY = UI_SESSION_STORAGE_KEY;

let cached: string | null | undefined;

/**
 * The page token the engine's redirect put in the URL fragment when the one-time link was opened
 * (shared/ui-session.ts). Taken from the fragment once, kept in localStorage so a reload and the app's
 * other tabs keep the session, and the fragment cleared from the address bar.
 */
export function sessionToken(): string | null {
  if (cached !== undefined) return cached;
  // Outside a browser (the renderer's unit tests) there is no page, so no token.
  if (typeof window === 'undefined') return null;
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromFragment = fragment.get(UI_SESSION_FRAGMENT_KEY);
  if (fromFragment) {
    try {
      window.localStorage.setItem(STORAGE_KEY, fromFragment);
    } catch {
      // Storage refused (a locked-down browser): the session lasts until the page is reloaded.
    }
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    cached = fromFragment;
    return cached;
  }
  try {
    cached = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    cached = null;
  }
  return cached;
}

/** The header every /api request carries. */
export function sessionHeaders(): Record<string, string> {
  const token = sessionToken();
  return token ? { [UI_SESSION_HEADER]: token } : {};
}

/** The event stream's URL: EventSource cannot set headers, so the token goes in the query. */
export function withSessionQuery(path: string): string {
  const token = sessionToken();
  if (!token) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${UI_SESSION_QUERY_KEY}=${encodeURIComponent(token)}`;
}
