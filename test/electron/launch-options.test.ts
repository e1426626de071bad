import { describe, expect, it } from 'vitest';
import { HIDDEN_AT_LOGIN_ARG, loginItemSupported, startsHidden } from '../../main/electron/launch-options.js';

describe('launch options', () => {
  it('offers login items on macOS and Windows only', () => {
    expect(loginItemSupported('darwin')).toBe(true);
    expect(loginItemSupported('win32')).toBe(true);
    expect(loginItemSupported('linux')).toBe(false);
  });

  it('opens no window when started at login, and one otherwise', () => {
    expect(startsHidden(['/opt/apisify/apisify', HIDDEN_AT_LOGIN_ARG], false)).toBe(true);
    expect(startsHidden(['/Applications/apisify.app/Contents/MacOS/apisify'], true)).toBe(true);
    expect(startsHidden(['/opt/apisify/apisify'], false)).toBe(false);
  });
});
