import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { UI_SESSION_FRAGMENT_KEY, UI_SESSION_HEADER, UI_SESSION_QUERY_KEY } from '../../../shared/ui-session.js';
import type { Database } from '../store/database.js';
import { ApiError } from './api-error.js';
import { noSessionPage, wantsPage } from './ui-no-session-page.js';

/**
 * A link is for opening now: `apisify serve` prints one at every start, and under a service manager
 * that line goes to a log other people may read. A one-time token that lives minutes, not a day, is
 * little use to them; `apisify ui` prints a fresh one whenever it is wanted.
 */
export const UI_TOKEN_TTL_MS = 10 * 60 * 1000;
const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

interface Session {
  expiresAt: number;
  /** The digest of the session's second credential, which the page sends as UI_SESSION_HEADER. */
  pageTokenDigest: Buffer;
}

/**
 * The UI's authentication (the Jupyter pattern): a one-time token in the URL the app opens becomes
 * an HttpOnly, SameSite=Strict session cookie, and a page token that only the redirected page reads
 * (shared/ui-session.ts): /api needs both. Tokens live in SQLite (as digests) so `apisify ui` can mint
 * one for a running server; sessions live in memory and end with the process.
 */
export class UiSessions {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly db: Database, private readonly port: () => number) {}

  get cookieName(): string {
    // Cookies ignore ports: two engines on one machine must not overwrite each other's session.
    return `apisify_session_${this.port()}`;
  }

  mintToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.db.prepare('DELETE FROM ui_tokens WHERE expires_at < ?').run(Date.now());
    this.db.prepare('INSERT INTO ui_tokens (digest, expires_at) VALUES (?, ?)').run(digest(token), Date.now() + UI_TOKEN_TTL_MS);
    return token;
  }

  /** Spends a token: true once, for a token that exists and has not expired. */
  redeem(token: string): boolean {
    const removed = this.db.prepare('DELETE FROM ui_tokens WHERE digest = ? AND expires_at >= ?').run(digest(token), Date.now()).changes;
    return removed === 1;
  }

  /**
   * Opens a session: the cookie, and a redirect to the UI whose fragment carries the page token.
   * A fragment never leaves the browser (no server, log or Referer sees it), and only the page that
   * followed this redirect can read it.
   */
  open(ctx: Context): void {
    const id = randomBytes(32).toString('base64url');
    const pageToken = randomBytes(32).toString('base64url');
    this.#sessions.set(digest(id), { expiresAt: Date.now() + SESSION_TTL_MS, pageTokenDigest: createHash('sha256').update(pageToken).digest() });
    ctx.cookies.set(this.cookieName, id, { httpOnly: true, sameSite: 'strict', path: '/', overwrite: true, maxAge: SESSION_TTL_MS });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(`/#${UI_SESSION_FRAGMENT_KEY}=${pageToken}`);
  }

  /** The cookie's session: enough to be served the UI's static page, never its API. Keyed by the cookie's digest, so a lookup's timing says nothing about a valid id. */
  #sessionOf(ctx: Context): Session | null {
    const id = ctx.cookies.get(this.cookieName);
    if (!id) return null;
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return null;
    if (session.expiresAt < Date.now()) {
      this.#sessions.delete(key);
      return null;
    }
    return session;
  }

  hasCookie(ctx: Context): boolean {
    return this.#sessionOf(ctx) !== null;
  }

  /** The cookie's session and its page token (the header; the query parameter for the event stream, which cannot set headers). */
  isValid(ctx: Context): boolean {
    const session = this.#sessionOf(ctx);
    if (!session) return false;
    const fromQuery = ctx.method === 'GET' && ctx.path === '/api/events' ? ctx.query[UI_SESSION_QUERY_KEY] : undefined;
    const given = ctx.get(UI_SESSION_HEADER) || (typeof fromQuery === 'string' ? fromQuery : '');
    if (!given) return false;
    return timingSafeEqual(createHash('sha256').update(given).digest(), session.pageTokenDigest);
  }
}

/** /api and everything under it: the UI's API, which needs the whole session. */
export function isUiApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * Guards everything but /v1/order: a valid session, and no foreign Origin. Browsers send Origin on
 * every cross-site POST and on fetches, so a page elsewhere cannot drive this API even if it guessed a port.
 * A browser opening a page without a session gets a page saying how to get in; everything else the API's 401.
 */
export function requireUiSession(sessions: UiSessions): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (origin && origin !== `${ctx.protocol}://${ctx.get('Host')}`) {
      throw new ApiError(403, 'foreign_origin', `Origin ${JSON.stringify(origin)} may not use the apisify UI API`);
    }
    if (!['GET', 'HEAD'].includes(ctx.method) && !ctx.is('application/json')) {
      throw new ApiError(415, 'unsupported_media_type', 'Content-Type: expected application/json');
    }
    // The static UI with the cookie alone (the page then reads its token); the API only with both.
    if (isUiApiPath(ctx.path) ? !sessions.isValid(ctx) : !sessions.hasCookie(ctx)) {
      if (!isUiApiPath(ctx.path) && wantsPage(ctx)) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.set('Cache-Control', 'no-store');
        ctx.body = noSessionPage(typeof ctx.query['token'] === 'string');
        return;
      }
      throw new ApiError(
        401,
        'session_required',
        `open apisify from the tray, or with the URL \`apisify serve\` printed (\`apisify ui\` prints a new one); /api needs the session cookie and the app page's ${UI_SESSION_HEADER} header`,
      );
    }
    await next();
  };
}
