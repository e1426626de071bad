import { ApiFailure } from './client.js';
import { sessionHeaders } from './session-token.js';

/**
 * Saves a file the UI API serves (a CSV export). A plain link cannot send the page's session header,
 * and the token must not sit in a URL the downloads list keeps: the file is fetched like every other
 * /api call and handed to the browser from memory.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: sessionHeaders() });
  } catch {
    throw new ApiFailure(0, 'engine_unreachable', 'apisify is not answering; is it still running?');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; field?: string } } | null;
    throw new ApiFailure(response.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `GET ${path} answered HTTP ${response.status}`, body?.error?.field ?? null);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task is done.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
  return name;
}
