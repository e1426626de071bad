import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../main/electron/tray-menu-template.js';
import type { TrayAction, TrayMenuEntry } from '../../main/electron/tray-model.js';

const entries: TrayMenuEntry[] = [
  { kind: 'info', label: 'Listening on http://127.0.0.1:8470' },
  { kind: 'separator' },
  { kind: 'action', label: 'Pause trading', action: { type: 'set-paused', paused: true } },
  { kind: 'checkbox', label: 'Start at login', checked: true, action: { type: 'set-open-at-login', openAtLogin: false } },
  { kind: 'submenu', label: 'Start tunnel', entries: [{ kind: 'action', label: 'ngrok', action: { type: 'start-tunnel', kind: 'ngrok' } }] },
];

describe('menuTemplate', () => {
  it('makes information lines disabled and keeps labels, checkboxes and submenus', () => {
    const template = menuTemplate(entries, () => undefined);
    expect(template[0]).toEqual({ label: 'Listening on http://127.0.0.1:8470', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    expect(template[2]?.label).toBe('Pause trading');
    expect(template[2]?.enabled).not.toBe(false);
    expect(template[3]).toMatchObject({ type: 'checkbox', label: 'Start at login', checked: true });
    expect(template[4]?.label).toBe('Start tunnel');
    expect(Array.isArray(template[4]?.submenu)).toBe(true);
  });

  it('hands each click its own action, submenus included', () => {
    const clicked: TrayAction[] = [];
    const template = menuTemplate(entries, (action) => clicked.push(action));
    const click = (item: (typeof template)[number] | undefined) => {
      // Electron passes the item, window and event; the template's handlers use none of them.
      (item?.click as (() => void) | undefined)?.();
    };

    click(template[2]);
    click(template[3]);
    const submenu = template[4]?.submenu;
    click(Array.isArray(submenu) ? submenu[0] : undefined);

    expect(clicked).toEqual([
      { type: 'set-paused', paused: true },
      { type: 'set-open-at-login', openAtLogin: false },
      { type: 'start-tunnel', kind: 'ngrok' },
    ]);
  });
});
