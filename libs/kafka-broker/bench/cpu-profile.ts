import { readdir, readFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join, relative, resolve } from 'node:path';

/** The subset of a V8 .cpuprofile the summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    children?: number[];
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

type ProfileNode = CpuProfile['nodes'][number];

export interface HotFunction {
  readonly name: string;
  readonly location: string;
  readonly selfPercent: number;
}

const REPO_ROOT = resolve(__dirname, '../../..');
const MODULE_LOADER = 'node:internal/modules/';

/**
 * Nodes that run under Node's module loader: start-up work (requiring and compiling TypeScript
 * through @swc-node/register), not the steady state the benchmark is about.
 */
function startupNodes(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const startup = new Set<number>();
  const visit = (node: ProfileNode, underLoader: boolean): void => {
    const inside = underLoader || node.callFrame.url.startsWith(MODULE_LOADER);
    if (inside) startup.add(node.id);
    for (const child of node.children ?? []) {
      const next = byId.get(child);
      if (next) visit(next, inside);
    }
  };
  visit(profile.nodes[0], false);
  return startup;
}

function describe(node: ProfileNode): { name: string; location: string } {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace('file://', '');
  const location = file ? `${relative(REPO_ROOT, file)}:${lineNumber + 1}` : '(native)';
  return { name: functionName || '(anonymous)', location };
}

/**
 * Self time per function (name + file:line), highest first, as a share of the busy samples
 * (idle and start-up module loading left out).
 */
export function hotFunctions(profile: CpuProfile, top = 15): HotFunction[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const startup = startupNodes(profile);
  const totals = new Map<string, { name: string; location: string; micros: number }>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || startup.has(id) || node.callFrame.functionName === '(idle)') return;
    const micros = profile.timeDeltas[i] ?? 0;
    busy += micros;
    const { name, location } = describe(node);
    const key = `${name}@${location}`;
    const entry = totals.get(key) ?? { name, location, micros: 0 };
    entry.micros += micros;
    totals.set(key, entry);
  });
  return [...totals.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map(({ name, location, micros }) => ({ name, location, selfPercent: (100 * micros) / busy }));
}

/** Reads the one .cpuprofile `node --cpu-prof --cpu-prof-dir <dir>` wrote. */
export async function readProfileDir(dir: string): Promise<CpuProfile> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
}

/** Profiles this process (the kafkajs side) while `work` runs. */
export async function profileSelf<T>(
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile }> {
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
