// The parent's side of the bench worker: spawns bench/worker-process.ts under tsx, asks it for
// its notification counts, scrapes its cache metrics, and stops it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scrape, sumOf } from './prometheus';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol';

const SCRIPT = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The worker runtime's workflow-cache counters (Prometheus, summed over labels). */
export interface CacheMetrics {
  size: number;
  hits: number;
  misses: number;
  forcedEvictions: number;
}

/** "worker cache: 990 hits, 10 misses (replays), 0 evictions" between two readings. */
export function describeCacheUse(before: CacheMetrics, after: CacheMetrics): string {
  return `worker cache: ${after.hits - before.hits} hits, ${after.misses - before.misses} misses (replays), ${after.forcedEvictions - before.forcedEvictions} evictions`;
}

export interface WorkerChild {
  pid: number;
  settings: WorkerSettings;
  notified(): Promise<Record<string, number>>;
  cacheMetrics(): Promise<CacheMetrics>;
  stop(): Promise<void>;
}

function nextMessage<T extends FromWorker['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the bench worker did not answer "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: FromWorker) => {
      if (message.type === 'failed') finish(new Error(`the bench worker failed: ${message.error}`));
      else if (message.type === type) finish(undefined, message as Extract<FromWorker, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`the bench worker exited (code ${code})`));
    function finish(error?: Error, message?: Extract<FromWorker, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * BENCH_WORKER_CPU_PROF_DIR=dir writes a V8 CPU profile of the worker's threads there when it stops
 * (NODE_OPTIONS may not carry --cpu-prof). How the worker's share of a replay was read.
 * BENCH_WORKER_TRACE_GC=1 prints every garbage collection of each of its threads (`--trace-gc`).
 */
function profilingFlags(): string[] {
  const dir = process.env.BENCH_WORKER_CPU_PROF_DIR;
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []), ...(process.env.BENCH_WORKER_TRACE_GC ? ['--trace-gc'] : [])];
}

export async function startWorkerChild(settings: WorkerSettings): Promise<WorkerChild> {
  // `node --import tsx` rather than the tsx CLI: one process, whose pid is the worker's own.
  const child = fork(SCRIPT, [], { cwd: ROOT, execArgv: ['--import', 'tsx', ...profilingFlags()], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ToWorker) => child.send(message);
  const ready = nextMessage(child, 'ready', 180_000); // bundling the workflow code takes a while
  send({ type: 'start', settings });
  await ready;
  return {
    pid: child.pid!,
    settings,
    async notified() {
      const answer = nextMessage(child, 'counts', 10_000);
      send({ type: 'counts' });
      return (await answer).notified;
    },
    async cacheMetrics() {
      const samples = await scrape(`http://${settings.metricsAddress}/metrics`);
      return {
        size: sumOf(samples, 'temporal_sticky_cache_size'),
        hits: sumOf(samples, 'temporal_sticky_cache_hit'),
        misses: sumOf(samples, 'temporal_sticky_cache_miss'),
        forcedEvictions: sumOf(samples, 'temporal_sticky_cache_total_forced_eviction'),
      };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'stop' });
      const killed = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killed);
    },
  };
}
