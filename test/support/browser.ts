import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: no browser can be downloaded here (playwright-core, never playwright's own build). */
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** The UI and abuse tests' browser: headless Chromium with the flags this machine needs, and `extraArgs` after them. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraArgs], timeout: 20_000 });
}
