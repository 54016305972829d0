import { checkServices } from '../services';

/**
 * Runs once before the integration project: fails the whole run with a message naming the
 * missing service instead of letting suites skip or time out one by one.
 */
export default async function globalSetup(): Promise<void> {
  await checkServices();
}
