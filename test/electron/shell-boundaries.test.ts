import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The rules that keep the shell thin and testable, checked on the source itself. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNTIME_ELECTRON_IMPORT = /^\s*import\s+(?!type\b)[^;]*from\s+['"]electron['"]/m;

function source(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

describe('shell boundaries', () => {
  it.each(['tray-model.ts', 'tray-menu-template.ts', 'tray-actions.ts', 'tray-flatten.ts', 'window-security.ts', 'notifications.ts', 'launch-options.ts'])(
    'main/electron/%s decides without loading Electron (type imports only)',
    (file) => {
      expect(source(`main/electron/${file}`)).not.toMatch(RUNTIME_ELECTRON_IMPORT);
    },
  );

  it('the rule above would catch a runtime import', () => {
    expect("import { app } from 'electron';").toMatch(RUNTIME_ELECTRON_IMPORT);
    expect("import type { WebPreferences } from 'electron';").not.toMatch(RUNTIME_ELECTRON_IMPORT);
  });

  it('the tunnel, an engine feature, never touches Electron', () => {
    for (const file of readdirSync(`${ROOT}main/engine/tunnel`)) {
      expect(source(`main/engine/tunnel/${file}`), file).not.toMatch(/from\s+['"]electron['"]/);
    }
  });

  it('ships no preload: the renderer gets nothing but HTTP', () => {
    expect(readdirSync(`${ROOT}main/electron`).filter((file) => /preload/i.test(file))).toEqual([]);
  });
});
