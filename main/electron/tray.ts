import { join } from 'node:path';
import { Menu, nativeImage, Tray } from 'electron';
import { menuTemplate } from './tray-menu-template.js';
import type { TrayAction, TrayIconState, TrayModel } from './tray-model.js';

/**
 * The tray icon and its menu: draws whatever TrayModel says, and hands clicks back as TrayActions.
 * It decides nothing itself.
 */
export class DesktopTray {
  readonly #tray: Tray;
  readonly #iconDir: string;
  readonly #onAction: (action: TrayAction) => void;
  #shownIcon: TrayIconState | null = null;

  /** `iconDir` holds running.png, paused.png, error.png and their @2x versions (scripts/make-icons.mjs). */
  constructor(iconDir: string, onAction: (action: TrayAction) => void) {
    this.#iconDir = iconDir;
    this.#onAction = onAction;
    this.#tray = new Tray(this.#icon('running'));
    // On Windows a click on a tray icon means "show me the app"; elsewhere a click opens the menu.
    if (process.platform === 'win32') this.#tray.on('click', () => onAction({ type: 'open-window' }));
  }

  render(model: TrayModel): void {
    if (model.icon !== this.#shownIcon) {
      this.#tray.setImage(this.#icon(model.icon));
      this.#shownIcon = model.icon;
    }
    this.#tray.setToolTip(model.tooltip);
    this.#tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model.entries, this.#onAction)));
  }

  destroy(): void {
    this.#tray.destroy();
  }

  #icon(state: TrayIconState) {
    // createFromPath picks up the @2x file beside it on high-density screens.
    return nativeImage.createFromPath(join(this.#iconDir, `${state}.png`));
  }
}
