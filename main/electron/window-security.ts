import type { WebPreferences } from 'electron';

/**
 * The window's security rules as pure functions, so each rule has a test that runs without Electron.
 * The renderer is a web page served by the engine; it gets exactly what a browser tab would, and
 * talks to the engine over HTTP. It needs no Node, no preload and no bridge.
 */

export function secureWebPreferences(): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Chromium's spell checker fetches dictionaries from Google; a trading app has no need to call out.
    spellcheck: false,
    // No preload: the renderer needs nothing the engine's HTTP API does not give it.
  };
}

export type NavigationDecision = 'allow' | 'open-externally' | 'deny';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Where the window may go. Only the engine's own origin loads inside the app; a web link opens in the
 * user's browser; anything else (file:, javascript:, data:, custom schemes) goes nowhere.
 */
export function decideNavigation(targetUrl: string, appOrigin: string): NavigationDecision {
  const target = parse(targetUrl);
  if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) return 'deny';
  if (target.origin === parse(appOrigin)?.origin) return 'allow';
  // Links carrying credentials are a phishing trick; a trading app has no reason to follow them.
  if (target.username || target.password) return 'deny';
  return 'open-externally';
}

/**
 * The only web permission the app's own page gets: writing plain text to the clipboard (the "copy"
 * buttons for the webhook URL and new API keys). Camera, location, notifications and the rest: never.
 */
const PERMISSIONS_FOR_APP_ORIGIN: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(permission: string, requestingUrl: string, appOrigin: string): boolean {
  const requester = parse(requestingUrl);
  return requester !== null && requester.origin === parse(appOrigin)?.origin && PERMISSIONS_FOR_APP_ORIGIN.has(permission);
}

export type ResponseHeaders = Record<string, string | string[]>;

/**
 * Adds `policy` as the Content-Security-Policy of a page from the app's origin that came without one.
 * The engine sets its own; this is the second line for a page that slips through without it.
 */
export function withContentSecurityPolicy(responseUrl: string, headers: ResponseHeaders | undefined, appOrigin: string, policy: string): ResponseHeaders | undefined {
  if (parse(responseUrl)?.origin !== parse(appOrigin)?.origin) return headers;
  const current = headers ?? {};
  if (Object.keys(current).some((name) => name.toLowerCase() === 'content-security-policy')) return headers;
  return { ...current, 'Content-Security-Policy': [policy] };
}
