import { app, type Session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../engine/http/security-headers.js';
import { decideNavigation, isPermissionGranted, secureWebPreferences, withContentSecurityPolicy } from './window-security.js';

/**
 * Applies window-security.ts's rules to Electron. Installed for every web contents the app ever
 * creates (not only the main window), so a window opened some other way cannot escape them.
 */

function openExternally(url: string): void {
  shell.openExternal(url).catch(() => {
    // No browser, or the OS refused: nothing more to do from a tray app.
  });
}

function guardWebContents(contents: WebContents, appOrigin: string): void {
  const onNavigate = (event: { url: string; preventDefault(): void }) => {
    const decision = decideNavigation(event.url, appOrigin);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') openExternally(event.url);
  };
  contents.on('will-navigate', onNavigate);
  // Frames inside the page stay on our origin too; only the main frame's links may open the browser.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && decideNavigation(event.url, appOrigin) !== 'allow') event.preventDefault();
  });
  // A redirect from our origin to another one must not take the app window along.
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url, appOrigin) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, appOrigin);
    if (decision === 'open-externally') openExternally(url);
    if (decision !== 'allow') return { action: 'deny' };
    return { action: 'allow', overrideBrowserWindowOptions: { webPreferences: secureWebPreferences() } };
  });
}

function guardSession(session: Session, appOrigin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin, appOrigin));
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withContentSecurityPolicy(details.url, details.responseHeaders, appOrigin, CONTENT_SECURITY_POLICY);
    callback(responseHeaders ? { responseHeaders } : {});
  });
}

/** Call once, before any window exists; `appOrigin` is the engine's origin (e.g. http://127.0.0.1:8470). */
export function installWebContentsGuard(appOrigin: string, session: Session): void {
  guardSession(session, appOrigin);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appOrigin));
}
