import { app } from 'electron';
import { HIDDEN_AT_LOGIN_ARG, loginItemSupported } from './launch-options.js';

/** Start at login, through the OS's own login items. */

const LOGIN_ITEM_ARGS = [HIDDEN_AT_LOGIN_ARG];

/** Whether the app starts at login; null where the OS has no login items for us (Linux). */
export function readOpenAtLogin(): boolean | null {
  if (!loginItemSupported(process.platform)) return null;
  // Windows matches the registered item by its arguments too, so ask with the ones we register.
  return app.getLoginItemSettings({ args: LOGIN_ITEM_ARGS }).openAtLogin;
}

export function writeOpenAtLogin(openAtLogin: boolean): void {
  if (!loginItemSupported(process.platform)) return;
  app.setLoginItemSettings({ openAtLogin, args: LOGIN_ITEM_ARGS });
}

/** True when the OS started us as a login item (macOS reports it; Windows passes our argument). */
export function wasOpenedAtLogin(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
