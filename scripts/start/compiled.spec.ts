import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILD_STAMP, entryArguments, staleBuildReason } from './compiled';

/** A checkout's build inputs and a stamp, all dated `builtAt`; `touch` dates one file later. */
function checkout(builtAt: Date, stamped = true) {
  const root = mkdtempSync(join(tmpdir(), 'tracker-compiled-'));
  const write = (path: string, at: Date) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), at, at);
  };
  const files = [
    'tsconfig.json',
    'tsconfig.build.json',
    'package-lock.json',
    'apps/gateway/src/main.ts',
    'apps/gateway/dashboard/src/main.ts',
    'libs/config/src/config.ts',
    'libs/config/README.md',
    'scripts/start/start.ts',
  ];
  for (const file of files) write(file, builtAt);
  if (stamped) write(BUILD_STAMP, builtAt);
  return { root, touch: (path: string) => write(path, new Date(builtAt.getTime() + 1000)) };
}

describe(staleBuildReason.name, () => {
  const builtAt = new Date('2026-12-01T12:00:00Z');
  const roots: string[] = [];
  const make = (stamped?: boolean) => {
    const made = checkout(builtAt, stamped);
    roots.push(made.root);
    return made;
  };

  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('finds a build fresh when no input is newer than its stamp', () => {
    expect(staleBuildReason(make().root)).toBeUndefined();
  });

  it('finds it stale without a stamp', () => {
    expect(staleBuildReason(make(false).root)).toBe('no build yet');
  });

  it.each([
    'apps/gateway/src/live/live.gateway.ts',
    'libs/config/src/config.ts',
    'scripts/demo/simulate.ts',
    'tsconfig.build.json',
    'package-lock.json',
  ])('finds it stale when %s is newer than the stamp', (path) => {
    const { root, touch } = make();
    touch(path);
    expect(staleBuildReason(root)).toBe(`${path} changed`);
  });

  it.each([
    'apps/gateway/dashboard/src/main.ts',
    'apps/gateway/src/live/live.gateway.spec.ts',
    'apps/gateway/test/live.e2e-spec.ts',
    'libs/config/src/config.int-spec.ts',
    'libs/config/src/testing/env.ts',
    'libs/testing/src/index.ts',
    'libs/config/README.md',
    'README.md',
  ])('ignores %s, which the server build leaves out', (path) => {
    const { root, touch } = make();
    touch(path);
    expect(staleBuildReason(root)).toBeUndefined();
  });
});

describe(entryArguments.name, () => {
  it('runs the compiled file in dist/, or the source through @swc-node/register', () => {
    const entry = join('apps', 'gateway', 'src', 'main.ts');
    expect(entryArguments('/c', entry, true)).toEqual(['/c/dist/apps/gateway/src/main.js']);
    expect(entryArguments('/c', entry, false)).toEqual([
      '-r',
      '@swc-node/register',
      '/c/apps/gateway/src/main.ts',
    ]);
  });
});
