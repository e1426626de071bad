import { EventEmitter } from 'node:events';

/**
 * Just enough of Electron's main-process API for main.ts to run in plain Node: every object records
 * what the shell asked of it. No Electron binary exists on our machines, so this is how the wiring
 * (lifecycle, tray, window, guards, notifications) gets exercised at all.
 */

export interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function preventable<T extends object>(fields: T): T & PreventableEvent {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

class FakeApp extends EventEmitter {
  readonly paths = new Map<string, string>([['appData', '/home/trader/.config']]);
  readonly calls: string[] = [];
  readyResolve: () => void = () => undefined;
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  gotLock = true;
  dock = undefined;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false };

  getPath(name: string): string {
    return this.paths.get(name) ?? `/fake/${name}`;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getAppPath(): string {
    return '/fake/app';
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.gotLock;
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  quit(): void {
    this.calls.push('quit');
    const event = preventable({});
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.calls.push('quit-proceeded');
  }
  exit(code: number): void {
    this.calls.push(`exit(${code})`);
  }
  getLoginItemSettings() {
    return { ...this.loginItem };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem.openAtLogin = settings.openAtLogin;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly loaded: string[] = [];
  visible = false;
  destroyed = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown>; show?: boolean }) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: FakeMenuItem[];
  click?: () => void;
}

export class FakeTray extends EventEmitter {
  static created: FakeTray[] = [];
  image = '';
  tooltip = '';
  menu: FakeMenuItem[] = [];
  destroyed = false;
  constructor(image: string) {
    super();
    this.image = image;
    FakeTray.created.push(this);
  }
  setImage(image: string): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenuItem[]): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string) => boolean;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  headersListener: HeadersListener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
}

export const fakeSession = new FakeSession();

export const fakeApp = new FakeApp();
export const openedExternally: string[] = [];
export const clipboardTexts: string[] = [];
export const errorBoxes: Array<{ title: string; content: string }> = [];
export const messageBoxes: Array<{ message: string; detail?: string; type?: string; buttons?: string[] }> = [];
/** The buttons the user clicks in the next message boxes, by index; 0 (the first button) once none is left. */
export const messageBoxResponses: number[] = [];

/** The module that stands in for `electron`. */
export const fakeElectron = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: (template: FakeMenuItem[]) => template },
  nativeImage: { createFromPath: (path: string) => path },
  clipboard: { writeText: (text: string) => clipboardTexts.push(text) },
  dialog: {
    showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
    showMessageBox: async (options: { message: string; detail?: string; type?: string; buttons?: string[] }) => {
      messageBoxes.push(options);
      return { response: messageBoxResponses.shift() ?? 0 };
    },
  },
  shell: {
    openExternal: async (url: string) => {
      openedExternally.push(url);
    },
  },
  session: { defaultSession: fakeSession },
};
