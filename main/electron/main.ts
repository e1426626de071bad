import { join } from 'node:path';
import { app, clipboard, dialog, session } from 'electron';
import type { EngineStatus } from '../../shared/engine-status.js';
import { APP_NAME } from '../engine/config/data-dir.js';
import { startEngine } from '../engine/engine.js';
import type { Engine } from '../engine/engine-types.js';
import { DesktopNotifier } from './desktop-notifier.js';
import { startsHidden } from './launch-options.js';
import { readOpenAtLogin, wasOpenedAtLogin, writeOpenAtLogin } from './login-item.js';
import { MainWindow } from './main-window.js';
import { DesktopNotifications, notificationsEnabled } from './notifications.js';
import { DesktopTray } from './tray.js';
import { performTrayAction } from './tray-actions.js';
import type { TrayOutcome, TrayQuestion } from './tray-flatten.js';
import { trayModel } from './tray-model.js';
import { installWebContentsGuard } from './web-contents-guard.js';

/**
 * The desktop shell: the engine in this process, a tray icon, and a window onto the engine's own UI.
 * Everything shown comes from the engine's status and events; the shell only draws and relays clicks.
 */

// The same folder `apisify serve` uses (APISIFY_DATA_DIR, else <appData>/apisify), whatever name
// Electron derived from package.json. Chromium's files and the single-instance lock live there too,
// so one data dir has at most one running app.
const dataDir = process.env['APISIFY_DATA_DIR'] || join(app.getPath('appData'), APP_NAME);
app.setPath('userData', dataDir);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function reportError(title: string, error: unknown): void {
  void dialog.showMessageBox({ type: 'error', title: 'apisify', message: title, detail: messageOf(error) });
}

/** A native yes/no question; the first button cancels and is the default. */
async function confirm(question: TrayQuestion): Promise<boolean> {
  const { response } = await dialog.showMessageBox({ type: 'warning', title: 'apisify', message: question.message, detail: question.detail, buttons: question.buttons, defaultId: 0, cancelId: 0, noLink: true });
  return response === 1;
}

function showOutcome(outcome: TrayOutcome): void {
  void dialog.showMessageBox({ type: outcome.tone, title: 'apisify', message: outcome.message, detail: outcome.detail });
}

async function startDesktop(): Promise<void> {
  await app.whenReady();

  let engine: Engine;
  try {
    engine = await startEngine({ dataDir });
  } catch (error) {
    dialog.showErrorBox('apisify could not start', messageOf(error));
    app.exit(1);
    return;
  }

  installWebContentsGuard(new URL(engine.url).origin, session.defaultSession);
  // build/icons ships inside the app (electron-builder.yml lists it); getAppPath() is the asar in a package.
  const icons = join(app.getAppPath(), 'build', 'icons');
  const window = new MainWindow({ uiUrl: () => engine.createUiUrl(), iconPath: join(icons, 'app', '256x256.png') });
  const notifier = new DesktopNotifier(() => window.show());
  const notifications = new DesktopNotifications();

  let status: EngineStatus = engine.status();
  let openAtLogin = readOpenAtLogin();
  const tray = new DesktopTray(join(icons, 'tray'), (action) => {
    void performTrayAction(action, {
      engine,
      showWindow: () => window.show(),
      copyText: (text) => clipboard.writeText(text),
      setOpenAtLogin: (open) => {
        writeOpenAtLogin(open);
        openAtLogin = readOpenAtLogin();
      },
      quit: () => app.quit(),
      reportError,
      confirm,
      showOutcome,
    }).finally(() => {
      // Most changes also arrive as a 'status' event; reading once more costs little and misses nothing.
      status = engine.status();
      renderTray();
    });
  });
  const renderTray = () => tray.render(trayModel({ status, openAtLogin }));

  engine.subscribe((event) => {
    if (event.type === 'status') {
      status = event.status;
      renderTray();
    }
    for (const notification of notifications.decide(event, notificationsEnabled(status))) notifier.show(notification);
  });
  renderTray();

  app.on('second-instance', () => window.show());
  // macOS: a click on the Dock icon.
  app.on('activate', () => window.show());
  // The app lives in the tray: closing every window is not quitting.
  app.on('window-all-closed', () => undefined);

  let engineStopped = false;
  let stopping: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    window.allowClose();
    if (engineStopped) return;
    // Quit waits for the engine: orders under way are journaled and the tunnel process ends.
    event.preventDefault();
    stopping ??= engine
      .stop()
      .catch((error: unknown) => console.error('apisify: the engine did not stop cleanly:', messageOf(error)))
      .finally(() => {
        engineStopped = true;
        tray.destroy();
        app.quit();
      });
  });

  if (!startsHidden(process.argv, wasOpenedAtLogin())) window.show();
}

if (!app.requestSingleInstanceLock()) {
  // Another apisify runs on this data dir; it shows its window (second-instance) and we leave.
  app.quit();
} else {
  app.enableSandbox();
  startDesktop().catch((error: unknown) => {
    dialog.showErrorBox('apisify could not start', messageOf(error));
    app.exit(1);
  });
}
