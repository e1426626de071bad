import { sessionHeaders } from './session-token.js';

/**
 * The UI API over fetch: same origin, the session cookie and the page's session header, JSON both ways. Every failure becomes an
 * ApiFailure carrying the API's own code, message and field.
 */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }

  /** The endpoint does not exist in this engine (yet). */
  get notAvailable(): boolean {
    return this.code === 'not_available' || (this.status === 404 && this.code === 'not_found' && /no such endpoint/.test(this.message));
  }
}

const sessionListeners = new Set<() => void>();

/** Called when the engine answers 401: the session is gone (e.g. the engine restarted). */
export function onSessionLost(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A raw answer: status and JSON body, without throwing on 4xx/5xx (for POST /api/orders). */
export async function requestJson(method: Method, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { ...sessionHeaders(), ...(body === undefined && method === 'GET' ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' }) },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }),
    });
  } catch {
    throw new ApiFailure(0, 'engine_unreachable', 'apisify is not answering; is it still running?');
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('application/json')) {
    // Not JSON: an older engine answered an unknown GET under /api with the UI's index.html.
    if (response.ok || response.status === 404 || response.status === 405) throw new ApiFailure(404, 'not_available', `${method} ${path} is not available in this version of apisify`);
    throw new ApiFailure(response.status, 'http_error', `${method} ${path} answered HTTP ${response.status}`);
  }
  const json = (await response.json()) as unknown;
  if (response.status === 401) for (const listener of sessionListeners) listener();
  return { status: response.status, json };
}

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const { status, json } = await requestJson(method, path, body);
  if (status >= 400) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiFailure(status, error?.code ?? 'http_error', error?.message ?? `${method} ${path} answered HTTP ${status}`, error?.field ?? null);
  }
  return json as T;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiFailure) return error.message;
  return error instanceof Error ? error.message : String(error);
}
