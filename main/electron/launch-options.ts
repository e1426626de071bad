/**
 * How the app was launched, decided from plain inputs. Pure, so the rules are tested without Electron.
 */

/** Passed to the login item on Windows, so a start at login goes to the tray without opening the window. */
export const HIDDEN_AT_LOGIN_ARG = '--hidden';

/** Electron offers login items on macOS and Windows only; on Linux the menu item is not shown. */
export function loginItemSupported(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/**
 * A start at login (Windows: our argument; macOS: the OS says so) opens no window: the user did not
 * ask for one, the tray is enough. Any other start shows the window, so the user sees the app came up.
 */
export function startsHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return wasOpenedAtLogin || argv.includes(HIDDEN_AT_LOGIN_ARG);
}
