import { readdir, readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join, relative, resolve } from 'node:path';

/** The subset of a V8 .cpuprofile the summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    hitCount?: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  readonly selfPercent: number;
}

const REPO_ROOT = resolve(__dirname, '../../..');

/** Self time per function (name + file:line), highest first, as a share of all samples. */
export function hotFunctions(profile: CpuProfile, top = 12): HotFunction[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { name: string; location: string; micros: number }>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const micros = profile.timeDeltas[i] ?? 0;
    all += micros;
    const file = frame.url.replace('file://', '');
    const location = file ? `${relative(REPO_ROOT, file)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${location}`;
    const entry = totals.get(key) ?? { name: frame.functionName || '(anonymous)', location, micros: 0 };
    entry.micros += micros;
    totals.set(key, entry);
  });
  return [...totals.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map(({ name, location, micros }) => ({ name, location, selfPercent: (100 * micros) / all }));
}

/** Reads the one .cpuprofile `node --cpu-prof --cpu-prof-dir <dir>` wrote. */
export async function readProfileDir(dir: string): Promise<CpuProfile> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
}

/** Profiles this process (the kafkajs side) while `work` runs. */
export async function profileSelf<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile: profile as unknown as CpuProfile };
  } finally {
    session.disconnect();
  }
}
