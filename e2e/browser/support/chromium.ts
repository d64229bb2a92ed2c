// Debian's Chromium, headless, for the browser tests and the UI benchmark. Without it the tests
// skip locally but fail under CI (CI installs it in .ci/run, so its absence is a broken setup).

import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or null when Chromium is installed. */
export function chromiumMissingReason(): string | null {
  return fs.existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing (install it with: apt-get install -y chromium)`;
}

/** Under CI a missing browser is a broken setup (.ci/run installs it), so it must fail, not skip. */
export function isCi(): boolean {
  const value = process.env['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Collects console errors and uncaught exceptions of a page, for asserting there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  // Chromium's "Failed to load resource" console line does not say which: name the requests
  // that failed so far next to it (a failure the page expects logs no console error).
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const context = message.text().startsWith('Failed to load resource') && failed.length > 0 ? ` [${failed.join('; ')}]` : '';
    errors.push(`console.error: ${message.text()}${context}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
