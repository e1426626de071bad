/**
 * The UI session's second credential. The session cookie alone opens nothing under /api: browsers send
 * a 127.0.0.1 cookie to every port of 127.0.0.1, so any local server the user's browser visits gets
 * it. The page also sends this token, which it received in the redirect's URL fragment (never sent to
 * any server) and keeps in localStorage, which is per origin, port included.
 */
export const UI_SESSION_HEADER = 'X-Apisify-Session';
/** The fragment key of the redirect that opens a session: `/#session=<token>`. */
export const UI_SESSION_FRAGMENT_KEY = 'session';
/** EventSource cannot set headers: the event stream takes the token as this query parameter. */
export const UI_SESSION_QUERY_KEY = 'session';
/** Where the page keeps its token (localStorage: per origin, port included; shared by the app's tabs). */
export const UI_SESSION_STORAGE_KEY = 'apisify.session';
