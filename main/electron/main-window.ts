import { app, BrowserWindow } from 'electron';
import { secureWebPreferences } from './window-security.js';

export interface MainWindowOptions {
  /** A fresh one-time UI URL from the engine; each new window needs its own token. */
  uiUrl(): string;
  iconPath: string;
}

/**
 * The one app window: created on first use, hidden (not closed) when the user closes it, because the
 * app lives in the tray and the engine keeps running. Only Quit really closes it.
 */
export class MainWindow {
  readonly #options: MainWindowOptions;
  #window: BrowserWindow | null = null;
  #closing = false;

  constructor(options: MainWindowOptions) {
    this.#options = options;
  }

  show(): void {
    const existing = this.#window;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      void app.dock?.show();
      return;
    }
    this.#window = this.#create();
  }

  /** From now on a close closes (the app is quitting). */
  allowClose(): void {
    this.#closing = true;
  }

  #create(): BrowserWindow {
    const window = new BrowserWindow({
      width: 1200,
      height: 800,
      minWidth: 720,
      minHeight: 480,
      title: 'apisify',
      icon: this.#options.iconPath,
      show: false,
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(),
    });
    window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      if (this.#closing) return;
      event.preventDefault();
      window.hide();
      // A tray app without a window has no business in the macOS Dock.
      app.dock?.hide();
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    void app.dock?.show();
    void window.loadURL(this.#options.uiUrl());
    return window;
  }
}
