import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** CPU time used while a scenario ran, as % of one core: this process (kafkajs) and the broker. */
export interface CpuShare {
  readonly clientPercent: number;
  readonly brokerPercent: number;
}

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** utime + stime of another process in ms, from /proc (fields 14 and 15). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Runs `work` and reports how busy the two processes were meanwhile. */
export async function metered<T>(
  brokerPid: number,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuShare }> {
  const wallStart = performance.now();
  const clientStart = process.cpuUsage();
  const brokerStart = processCpuMs(brokerPid);
  const result = await work();
  const wallMs = performance.now() - wallStart;
  const client = process.cpuUsage(clientStart);
  const clientMs = (client.user + client.system) / 1000;
  return {
    result,
    cpu: {
      clientPercent: (100 * clientMs) / wallMs,
      brokerPercent: (100 * (processCpuMs(brokerPid) - brokerStart)) / wallMs,
    },
  };
}
