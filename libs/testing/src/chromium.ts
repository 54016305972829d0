import { existsSync } from 'node:fs';

/** Where the browser tests find Chromium unless `CHROMIUM_PATH` says otherwise. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium the browser tests drive (playwright-core brings no browser of its own). Throws,
 * saying how to install one, when there is none: a missing browser is a setup step to take, not
 * a failure to puzzle over.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new Error(
      `The browser tests need Chromium at ${path}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH to one`,
    );
  }
  return path;
}
