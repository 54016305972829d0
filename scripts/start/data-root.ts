import { isAbsolute, join, resolve } from 'node:path';

/**
 * The folder `npm start` keeps its data in (Kafka, Redis, Postgres when not root, the run lock)
 * and `npm run reset` wipes: `TRACKER_DATA_DIR` when set (relative to the working folder), else
 * `.data` in the checkout. A second data folder gives a second, independent stack (benchmarks).
 */
export function dataRootOf(checkout: string, env: NodeJS.ProcessEnv): string {
  const chosen = env.TRACKER_DATA_DIR?.trim();
  if (!chosen) return join(checkout, '.data');
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}
