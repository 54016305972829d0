import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

// The dashboard is built into dist/ next to the compiled gateway, which serves it at `/`, and
// the public page (public.html) at `/public`: two pages of one build, sharing their assets.
// static/ (the icon) is copied as it is. `--outDir` overrides where (the browser test builds
// into a folder of its own).
export default defineConfig({
  root: here,
  base: '/',
  publicDir: resolve(here, 'static'),
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '../../../dist/apps/gateway/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: { dashboard: resolve(here, 'index.html'), public: resolve(here, 'public.html') },
    },
  },
});
