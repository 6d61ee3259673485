// Resident memory and CPU time of processes, read from Linux's /proc: the worker, the Temporal
// server and the bench itself (API and load generator) are separate processes, measured apart.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const MiB = 2 ** 20;

/** Clock ticks per second of /proc/<pid>/stat's CPU times (almost always 100). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

/** /proc/<pid>/stat's fields after the command name: [0] state, [1] parent pid, [11] utime, [12] stime. */
export function procStatFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses: count fields after its last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User plus system CPU seconds used so far, all threads. */
export function cpuSeconds(pid: number): number {
  const fields = procStatFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds the whole machine has been busy (all cores, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** The processes a bench step watches, by label (worker, server, bench). */
export type Processes = Record<string, number>;

/**
 * CPU used by each process over one or more windows of wall time, and by everything else on the
 * machine ("others"): on a shared machine that is what tells a disturbed measurement.
 */
const MACHINE = '(machine)';

export class CpuAccount {
  private wallSeconds = 0;
  private readonly used: Record<string, number> = {};

  constructor(private readonly processes: Processes) {}

  /** Runs `work` and adds its window to the account. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const start = this.read();
    const startWall = performance.now();
    try {
      return await work();
    } finally {
      const end = this.read();
      this.wallSeconds += (performance.now() - startWall) / 1000;
      for (const label of Object.keys(end)) this.used[label] = (this.used[label] ?? 0) + end[label] - start[label];
    }
  }

  /** Average CPU per process, and of all other processes, in % of one core (200% = two cores busy). */
  percent(): Record<string, number> {
    const { [MACHINE]: machine = 0, ...ours } = this.used;
    const others = Math.max(0, machine - Object.values(ours).reduce((sum, s) => sum + s, 0));
    const share = (seconds: number) => (this.wallSeconds > 0 ? (seconds / this.wallSeconds) * 100 : 0);
    return Object.fromEntries([...Object.entries(ours), ['others', others]].map(([label, seconds]) => [label, share(seconds as number)]));
  }

  /** CPU milliseconds per item of work, by process ("others" left out): where each item's cost goes. */
  msPer(items: number): Record<string, number> {
    const { [MACHINE]: _machine, ...ours } = this.used;
    return Object.fromEntries(Object.entries(ours).map(([label, seconds]) => [label, items > 0 ? (seconds * 1000) / items : 0]));
  }

  private read(): Record<string, number> {
    const perProcess = Object.entries(this.processes).map(([label, pid]) => [label, cpuSeconds(pid)]);
    return Object.fromEntries([...perProcess, [MACHINE, machineBusySeconds()]]);
  }
}

/** "worker 2.1 ms, server 2.9 ms, bench 1.7 ms" */
export function describeCpuMs(ms: Record<string, number>): string {
  return Object.entries(ms).map(([label, value]) => `${label} ${value.toFixed(2)} ms`).join(', ');
}

/** "worker 95%, server 80%, bench 60%" */
export function describeCpu(percent: Record<string, number>): string {
  return Object.entries(percent).map(([label, value]) => `${label} ${Math.round(value)}%`).join(', ');
}
