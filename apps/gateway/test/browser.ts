import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromiumPath } from '@tracker/testing';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** The checkout: screenshots go to its `.tmp/`. */
export const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Builds the dashboard (both pages) with vite into `outDir`, a folder of the suite's own. Vite
 * refuses a second build of the same project while one runs; the browser suites run two at a
 * time, each into its own folder, so its lock is bypassed.
 */
export async function buildDashboard(outDir: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(ROOT, 'apps', 'gateway', 'dashboard', 'vite.config.mts'),
      '--outDir',
      outDir,
      '--bypass-lock',
    ],
    { cwd: ROOT, env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } },
  );
}

/** Headless chromium with its profile in `profile`. */
export function launchBrowser(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1400, height: 1800 },
  });
}

/**
 * Everything that went wrong on a page from now on: console errors (a blocked script, a failed
 * resource), uncaught exceptions, requests that failed and answers of 400 or more.
 */
export function pageProblems(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      seen.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => seen.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) =>
    seen.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) seen.push(`status ${response.status()}: ${response.url()}`);
  });
  return seen;
}

/** Waits (with a deadline) until the element's text contains `text`. */
export async function expectText(
  locator: ReturnType<Page['locator']>,
  text: string,
  timeout = 5000,
) {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}
