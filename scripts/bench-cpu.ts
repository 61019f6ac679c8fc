// CPU time of processes from /proc, to say what a run on a small machine was limited by.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of one process (its threads included), or 0 once it is gone. */
const cpuSecondsOf = (pid: number): number => {
  try {
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
};

const pidsNamed = (name: string): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });

/** Busy CPU seconds of the whole machine (every core), from the first line of /proc/stat. */
const machineBusySeconds = (): number => {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = fields.slice(0, 8).reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
  return busy / TICKS_PER_SECOND;
};

export interface CpuShares {
  coffer: number;
  postgres: number;
  loadGenerator: number;
  /** Everything else the machine ran meanwhile (other work sharing it). */
  others: number;
  wallSeconds: number;
}

/**
 * Starts counting; the returned function gives each party's CPU use in cores (1.0 = one
 * core busy all along). PostgreSQL counts every backend alive at the end, so backends of
 * other databases on the same server count too.
 */
export const countCpu = (cofferPids: readonly number[]): (() => CpuShares) => {
  const started = Date.now();
  const machineStart = machineBusySeconds();
  const ownStart = process.cpuUsage();
  const cofferStart = cofferPids.map(cpuSecondsOf);
  const postgresStart = new Map(pidsNamed('postgres').map((pid) => [pid, cpuSecondsOf(pid)]));
  return () => {
    const wallSeconds = (Date.now() - started) / 1000;
    const own = process.cpuUsage(ownStart);
    const coffer = cofferPids.reduce((sum, pid, index) => sum + cpuSecondsOf(pid) - (cofferStart[index] ?? 0), 0);
    const postgres = pidsNamed('postgres').reduce((sum, pid) => sum + cpuSecondsOf(pid) - (postgresStart.get(pid) ?? 0), 0);
    const loadGenerator = (own.user + own.system) / 1e6;
    const others = Math.max(0, machineBusySeconds() - machineStart - coffer - postgres - loadGenerator);
    return { coffer: coffer / wallSeconds, postgres: postgres / wallSeconds, loadGenerator: loadGenerator / wallSeconds, others: others / wallSeconds, wallSeconds };
  };
};
