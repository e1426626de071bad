import { UI_SESSION_FRAGMENT_KEY, UI_SESSION_HEADER } from '../../shared/ui-session.js';
import { UsageError } from './usage-error.js';

/** The engine answered with its error shape (`{ok: false, error: {code, message, field}}`). */
export class EngineRefusal extends Error {
  override readonly name = 'EngineRefusal';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

/** The engine's UI API (`/api/...`), as the app's page calls it. */
export interface EngineApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/**
 * Opens a UI session on the engine at `url` with a one-time token, as the app's window does: the link
 * answers with the session cookie and a redirect whose fragment holds the page token (shared/ui-session.ts).
 * Both then go with every request; the session ends with the engine, or when this process lets go of it.
 */
export async function openEngineApi(url: string, token: string): Promise<EngineApi> {
  const opened = await reach(url, () => fetch(`${url}/?token=${encodeURIComponent(token)}`, { redirect: 'manual' }));
  const cookie = opened.headers.get('set-cookie')?.split(';')[0];
  const pageToken = new URLSearchParams((opened.headers.get('location') ?? '').split('#')[1] ?? '').get(UI_SESSION_FRAGMENT_KEY);
  if (opened.status !== 302 || !cookie || !pageToken) throw new Error(`the apisify engine at ${url} did not open a session for this command (HTTP ${opened.status})`);
  const headers = { Cookie: cookie, [UI_SESSION_HEADER]: pageToken, Accept: 'application/json' };

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await reach(url, () =>
      fetch(`${url}${path}`, method === 'GET' ? { headers } : { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
    );
    const json = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; field?: string | null } } | null;
    if (!response.ok) {
      const error = json?.error;
      throw new EngineRefusal(response.status, error?.code ?? 'http_error', error?.message ?? `${method} ${path} answered HTTP ${response.status}`, error?.field ?? null);
    }
    return json as T;
  }

  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}

async function reach(url: string, request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch {
    throw new Error(`the apisify engine at ${url} is not answering; is it still running?`);
  }
}

/**
 * An engine's refusal as the command line says it: a mistake in what was asked (4xx naming a field)
 * is a usage error naming the option that set the field (`--strategy: no strategy named …`, exit 2);
 * anything else failed (exit 1), with the engine's message.
 */
export function commandError(error: unknown, optionOf: Record<string, string>): unknown {
  if (!(error instanceof EngineRefusal)) return error;
  const option = error.field === null ? undefined : optionOf[error.field];
  if (error.status >= 400 && error.status < 500 && option !== undefined) return new UsageError(`${option}: ${error.message.replace(/^[\w.]+: /, '')}`);
  return new Error(error.message);
}
