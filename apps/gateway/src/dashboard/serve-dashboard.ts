import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { AppConfig } from '@tracker/config';
import { DASHBOARD_CSP, problem, PROBLEM_CONTENT_TYPE } from '@tracker/http';
import express from 'express';

/**
 * Where `npm run build:dashboard` puts the dashboard, seen from this file: beside it when the
 * gateway runs compiled from dist/, in dist/ when it runs from source (`npm start`).
 */
const BUILT = [
  resolve(__dirname, '..', '..', 'dashboard'),
  resolve(__dirname, '..', '..', '..', '..', 'dist', 'apps', 'gateway', 'dashboard'),
];

/**
 * Serves the built dashboard at `/` as static files (no token: it asks for one and uses it on
 * the live stream). Hashed assets are cached for good; `index.html` is revalidated each time.
 * Every file goes out with a strict Content-Security-Policy ({@link DASHBOARD_CSP}).
 * Without a build, `/` answers a 503 problem saying how to make one.
 */
export function serveDashboard(app: INestApplication, config: AppConfig): void {
  // A build has its bundled assets beside index.html; the sources (apps/gateway/dashboard,
  // which BUILT[0] names when the gateway runs from source) have none and are never served.
  const root = [config.dashboardDir, ...BUILT].find(
    (folder) =>
      folder !== undefined &&
      existsSync(join(folder, 'index.html')) &&
      existsSync(join(folder, 'assets')),
  );
  if (root === undefined) {
    new Logger('Dashboard').warn('no built dashboard found: run npm run build:dashboard');
    app.use('/', (request: express.Request, response: express.Response, next: () => void) => {
      if (request.path !== '/' || request.method !== 'GET') return next();
      const body = problem(503, 'dashboard-not-built', 'Run npm run build:dashboard, then reload');
      response.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
    });
    return;
  }
  app.use(
    express.static(root, {
      index: 'index.html',
      setHeaders: (response, path) => {
        response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
        const immutable = path.includes(`${join(root, 'assets')}`);
        response.setHeader(
          'Cache-Control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
}
