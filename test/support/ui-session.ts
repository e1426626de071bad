import { UI_SESSION_FRAGMENT_KEY, UI_SESSION_HEADER } from '../../shared/ui-session.js';

/** What the app's page holds once its one-time link is opened: the session cookie and the page token. */
export interface UiSessionCredentials {
  /** `apisify_session_<port>=…`, as a Cookie header carries it. */
  cookie: string;
  /** The page token from the redirect's fragment (shared/ui-session.ts). */
  token: string;
  /** Both, as every /api request sends them. */
  headers: Record<string, string>;
}

/** Opens the one-time link as the app does, without a browser. */
export async function openUiSession(link: string): Promise<UiSessionCredentials> {
  const response = await fetch(link, { redirect: 'manual' });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  const location = response.headers.get('location') ?? '';
  const token = new URLSearchParams(location.split('#')[1] ?? '').get(UI_SESSION_FRAGMENT_KEY);
  if (response.status !== 302 || !cookie || !token) throw new Error(`no UI session from ${link} (${response.status}, Location ${location})`);
  return { cookie, token, headers: { Cookie: cookie, [UI_SESSION_HEADER]: token } };
}
