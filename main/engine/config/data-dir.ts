import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'apisify';

/**
 * One data dir for every part of apisify: `--data-dir`, else APISIFY_DATA_DIR, else the OS's per-user
 * app data folder (the same folder Electron's app.getPath('userData') names for this product).
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (flag) return flag;
  if (env['APISIFY_DATA_DIR']) return env['APISIFY_DATA_DIR'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), APP_NAME);
}
