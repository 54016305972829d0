import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the dashboard (vite) into dist/ when no build is there yet (or one without the public
 * page), so that `npm start` on a fresh clone serves it at `/` and `/public`. A failed build is
 * reported, not fatal: the API works without it.
 */
export async function ensureDashboard(
  checkout: string,
  log: (line: string) => void,
): Promise<void> {
  const built = join(checkout, 'dist', 'apps', 'gateway', 'dashboard');
  const parts = ['index.html', 'public.html', 'assets'];
  if (parts.every((part) => existsSync(join(built, part)))) return;
  const vite = join(checkout, 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(checkout, 'apps', 'gateway', 'dashboard', 'vite.config.mts');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', config], {
      cwd: checkout,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', resolve);
    child.on('error', () => resolve(-1));
  });
  log(
    code === 0
      ? `dashboard           built into ${built}`
      : `dashboard           build failed (exit ${code}); run npm run build:dashboard to see why`,
  );
}
