import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuEntry } from './tray-model.js';

/** Turns the tray model's entries into Electron's menu template; each click hands its action to `onAction`. */
export function menuTemplate(entries: readonly TrayMenuEntry[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return entries.map((entry): MenuItemConstructorOptions => {
    switch (entry.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: entry.label, enabled: false };
      case 'action':
        return { label: entry.label, click: () => onAction(entry.action) };
      case 'checkbox':
        return { type: 'checkbox', label: entry.label, checked: entry.checked, click: () => onAction(entry.action) };
      case 'submenu':
        return { label: entry.label, submenu: menuTemplate(entry.entries, onAction) };
    }
  });
}
