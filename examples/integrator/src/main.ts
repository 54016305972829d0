import { IntegratorConfigError, loadIntegratorConfig } from './config';
import { IntegratorStartError, startIntegrator } from './integrator';

/** `npm run integrator`: follow the tracker's contract topics and log pledge status changes. */
async function main(): Promise<void> {
  const config = loadIntegratorConfig(process.env);
  const app = await startIntegrator(config);
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const known = error instanceof IntegratorConfigError || error instanceof IntegratorStartError;
  console.error(`integrator: ${known ? error.message : String(error)}`);
  process.exit(1);
});
