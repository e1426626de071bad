import { describe, expect, it } from 'vitest';
import { decideNavigation, isPermissionGranted, secureWebPreferences, withContentSecurityPolicy } from '../../main/electron/window-security.js';

const APP = 'http://127.0.0.1:8470';

describe('secureWebPreferences', () => {
  const preferences = secureWebPreferences();

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
  ] as const)('sets %s to %s', (option, value) => {
    expect(preferences[option]).toBe(value);
  });

  it('ships no preload: the renderer needs nothing beyond HTTP', () => {
    expect(preferences.preload).toBeUndefined();
  });

  it('hands out a fresh object each time, so one window cannot loosen another', () => {
    const first = secureWebPreferences();
    first.sandbox = false;
    expect(secureWebPreferences().sandbox).toBe(true);
  });
});

describe('decideNavigation', () => {
  it('allows the engine’s own origin', () => {
    expect(decideNavigation(`${APP}/`, APP)).toBe('allow');
    expect(decideNavigation(`${APP}/orders?id=4#top`, APP)).toBe('allow');
  });

  it('keeps another origin out of the window, even another port or name of this machine', () => {
    expect(decideNavigation('http://127.0.0.1:9999/', APP)).not.toBe('allow');
    expect(decideNavigation('http://localhost:8470/', APP)).not.toBe('allow');
    expect(decideNavigation('https://127.0.0.1:8470/', APP)).not.toBe('allow');
  });

  it('opens web links in the browser', () => {
    expect(decideNavigation('https://www.tradingview.com/support/', APP)).toBe('open-externally');
    expect(decideNavigation('http://example.com/', APP)).toBe('open-externally');
  });

  it('denies file:, javascript:, data: and other schemes', () => {
    expect(decideNavigation('file:///etc/passwd', APP)).toBe('deny');
    expect(decideNavigation('javascript:alert(1)', APP)).toBe('deny');
    expect(decideNavigation('data:text/html,<script>alert(1)</script>', APP)).toBe('deny');
    expect(decideNavigation('smb://fileserver/share', APP)).toBe('deny');
    expect(decideNavigation('not a url', APP)).toBe('deny');
  });

  it('is not fooled by our address in the user-info part', () => {
    expect(decideNavigation('http://127.0.0.1:8470@evil.example/', APP)).toBe('deny');
  });
});

describe('isPermissionGranted', () => {
  it('denies every permission a page may ask for', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'openExternal', 'fullscreen', 'clipboard-read', 'display-capture', 'unknown']) {
      expect(isPermissionGranted(permission, `${APP}/`, APP)).toBe(false);
    }
  });

  it('lets only our own page write text to the clipboard (its copy buttons)', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', `${APP}/keys`, APP)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', APP, APP)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', APP)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', '', APP)).toBe(false);
  });
});

describe('withContentSecurityPolicy', () => {
  const POLICY = "default-src 'self'";

  it('adds the policy to our page when it came without one', () => {
    expect(withContentSecurityPolicy(`${APP}/`, { 'Content-Type': ['text/html'] }, APP, POLICY)).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [POLICY],
    });
  });

  it('keeps the engine’s own policy, whatever the header’s case', () => {
    const headers = { 'content-security-policy': ["default-src 'none'"] };
    expect(withContentSecurityPolicy(`${APP}/`, headers, APP, POLICY)).toBe(headers);
  });

  it('leaves responses from other origins alone', () => {
    const headers = { 'Content-Type': ['text/html'] };
    expect(withContentSecurityPolicy('https://example.com/', headers, APP, POLICY)).toBe(headers);
  });
});
