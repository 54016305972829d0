import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where self time goes, by the package or part of the code it is spent in. */
const CATEGORIES: [string, RegExp][] = [
  ['kafkajs (fetch, decode)', /node_modules\/kafkajs\//],
  ['contracts (zod validation)', /node_modules\/zod\/|libs\/contracts\//],
  ['ioredis (protocol)', /node_modules\/(ioredis|redis-parser|@ioredis)\//],
  ['read-model (plans to Lua)', /libs\/read-model\//],
  ['projection (folds, plans)', /apps\/projection-service\/src\//],
  ['other JavaScript', /./],
];

export interface ProfileSummary {
  readonly categories: { name: string; percent: number }[];
  readonly hottest: { name: string; location: string; percent: number }[];
}

/** Runs `work` under the V8 CPU profiler of this process and summarises the self time. */
export async function profiled(work: () => Promise<void>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    await work();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    session.disconnect();
    // The whole profile too, for a closer look (Chrome DevTools opens a .cpuprofile).
    const file = process.env.BENCH_CPUPROFILE;
    if (file) writeFileSync(file, JSON.stringify(profile));
    // eslint-disable-next-line no-unsafe-finally
    return summarise(profile);
  }
}

function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
  );
  const categories = new Map<string, number>();
  const functions = new Map<string, { name: string; location: string; micros: number }>();
  let busy = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    busy += micros;
    const category =
      functionName === '(garbage collector)'
        ? 'garbage collector'
        : url === ''
          ? 'native (JSON, crypto, sockets)'
          : (CATEGORIES.find(([, pattern]) => pattern.test(url))?.[0] ?? 'other JavaScript');
    categories.set(category, (categories.get(category) ?? 0) + micros);
    const location = `${url.replace(/^.*?(node_modules\/|apps\/|libs\/)/, '$1')}:${lineNumber + 1}`;
    const key = `${functionName}@${location}`;
    const entry = functions.get(key) ?? {
      name: functionName || '(anonymous)',
      location,
      micros: 0,
    };
    entry.micros += micros;
    functions.set(key, entry);
  }
  const percent = (micros: number) => Math.round((micros / Math.max(1, busy)) * 1000) / 10;
  return {
    categories: [...categories]
      .sort(([, a], [, b]) => b - a)
      .map(([name, micros]) => ({ name, percent: percent(micros) })),
    hottest: [...functions.values()]
      .sort((a, b) => b.micros - a.micros)
      .slice(0, 12)
      .map(({ name, location, micros }) => ({ name, location, percent: percent(micros) })),
  };
}
