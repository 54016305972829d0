import { existsSync, readdirSync } from 'node:fs';
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

/** The pages of a build: the dashboard, and the public page. */
const PAGES = ['index.html', 'public.html'];

/** The public page's paths, exactly: its API under `/public/v1/` must reach its controllers. */
const PUBLIC_PAGE = new Set(['/public', '/public/']);

const isPage = (path: string) => path === '/' || PUBLIC_PAGE.has(path);

/**
 * Serves the built dashboard at `/` as static files (no token: it asks for one and uses it on
 * the live stream), and the public page (`public.html`, no token either) at `/public`. Hashed
 * assets are cached for good; the pages are revalidated each time. Every file goes out with a
 * strict Content-Security-Policy ({@link DASHBOARD_CSP}). Without a build, both pages answer a
 * 503 problem saying how to make one.
 */
export function serveDashboard(app: INestApplication, config: AppConfig): void {
  // A build has its bundled assets beside its pages; the sources (apps/gateway/dashboard,
  // which BUILT[0] names when the gateway runs from source) have none and are never served.
  const root = [config.dashboardDir, ...BUILT].find(
    (folder) =>
      folder !== undefined &&
      PAGES.every((page) => existsSync(join(folder, page))) &&
      existsSync(join(folder, 'assets')),
  );
  if (root === undefined) {
    new Logger('Dashboard').warn('no built dashboard found: run npm run build:dashboard');
    app.use('/', (request: express.Request, response: express.Response, next: () => void) => {
      if (!isPage(request.path) || request.method !== 'GET') return next();
      const body = problem(503, 'dashboard-not-built', 'Run npm run build:dashboard, then reload');
      response.status(503).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
    });
    return;
  }
  app.use((request: express.Request, response: express.Response, next: () => void) => {
    if (!PUBLIC_PAGE.has(request.path) || !['GET', 'HEAD'].includes(request.method)) {
      return next();
    }
    response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(root, 'public.html'));
  });
  const files = express.static(root, {
    index: 'index.html',
    setHeaders: (response, path) => {
      response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      const immutable = path.includes(`${join(root, 'assets')}`);
      response.setHeader(
        'Cache-Control',
        immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // Only paths that can name a file of the build reach the file system: the API's routes are
  // not looked up on disk first.
  const topLevel = new Set(readdirSync(root));
  app.use((request: express.Request, response: express.Response, next: () => void) => {
    if (request.path === '/' || topLevel.has(request.path.split('/')[1])) {
      files(request, response, next);
      return;
    }
    next();
  });
}
