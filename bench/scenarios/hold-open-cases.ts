// Item 3: open cases sleeping on their deadline timers. Fills up to a size through the raw client,
// then measures, with no requests running, the worker's and the server's memory and CPU, and what
// each open case costs: in memory since the previous size (the first size is compared with the
// empty system, so it includes warm-up), and on disk.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnvironment } from '../environment';
import { footprint, runningCases, type Footprint } from '../footprint';
import { throughput } from '../load';
import type { OpenCases } from '../open-cases';
import { CpuAccount, MiB } from '../process-usage';
import type { ResultRow } from '../report';
import { registerMany } from './registration';

/** Filling the whole zone takes a while; still bounded. */
const FILL_TIME_LIMIT_SECONDS = 2 * 60 * 60;

async function fill(env: BenchEnvironment, open: OpenCases, target: number, clients: number, say: (line: string) => void): Promise<ResultRow | undefined> {
  const missing = target - open.count;
  if (missing <= 0) return undefined;
  const progress = setInterval(() => say(`  … ${open.count.toLocaleString('en')} open cases`), 15_000);
  try {
    const result = await registerMany(env.raw, open, missing, clients, FILL_TIME_LIMIT_SECONDS);
    return {
      name: 'fill (raw client)', unit: 'cases/s', raw: throughput(result), openCases: open.count,
      notes: `${result.completed} registered, ${clients} clients${result.failed ? `; ${result.failed} failed (${result.errors.join('; ')})` : ''}`,
    };
  } finally {
    clearInterval(progress);
  }
}

/** Memory at a size, to compare the next size with. */
export interface Held { footprint: Footprint; openCases: number }

export async function holdOpenCases(
  env: BenchEnvironment, open: OpenCases, target: number,
  options: { clients: number; idleSeconds: number; empty: Footprint; previous: Held; say: (line: string) => void },
): Promise<{ rows: ResultRow[]; held: Held }> {
  const rows: ResultRow[] = [];
  const fillRow = await fill(env, open, target, options.clients, options.say);
  if (fillRow) rows.push(fillRow);

  const openCases = await runningCases(env);
  await sleep(2_000); // let the last registrations' visibility writes settle
  const idle = new CpuAccount(env.processes);
  await idle.during(() => sleep(options.idleSeconds * 1000));
  const cpu = idle.percent();
  const now = footprint(env);
  const cache = await env.worker.cacheMetrics();
  const { maxCachedWorkflows } = env.worker.settings.tuning;
  const idleNote = `${options.idleSeconds} s with no requests; other processes on the machine ${Math.round(cpu.others)}%`;

  rows.push({
    name: 'worker RSS', unit: 'MiB', value: now.workerRss / MiB, openCases,
    notes: `empty: ${Math.round(options.empty.workerRss / MiB)} MiB; cache holds ${cache.size} of max ${maxCachedWorkflows} workflows, ${cache.forcedEvictions} evictions so far`,
  });
  rows.push({ name: 'worker CPU, idle', unit: '% of a core', value: cpu.worker, openCases, notes: idleNote });
  const previous = options.previous;
  if (now.serverRss !== undefined && options.empty.serverRss !== undefined && previous.footprint.serverRss !== undefined) {
    rows.push({ name: 'server RSS', unit: 'MiB', value: now.serverRss / MiB, openCases, notes: `empty: ${Math.round(options.empty.serverRss / MiB)} MiB` });
    rows.push({ name: 'server CPU, idle', unit: '% of a core', value: cpu.server, openCases, notes: idleNote });
    const added = openCases - previous.openCases;
    const workerGrowth = now.workerRss - previous.footprint.workerRss;
    const serverGrowth = now.serverRss - previous.footprint.serverRss;
    if (added > 0) {
      rows.push({
        name: 'memory per open case', unit: 'KiB', value: (workerGrowth + serverGrowth) / 1024 / added, openCases,
        notes: `worker + server RSS growth from ${previous.openCases === 0 ? 'empty (includes warm-up)' : `${previous.openCases} open cases`} over ${added} more cases (worker ${Math.round(workerGrowth / MiB)} MiB, server ${Math.round(serverGrowth / MiB)} MiB)${workerGrowth + serverGrowth < 0 ? '; negative: RSS fell, memory was given back' : ''}`,
      });
    }
  }
  if (now.diskBytes !== undefined) {
    rows.push({
      name: 'disk per open case', unit: 'KiB', value: now.diskBytes / 1024 / openCases, openCases,
      notes: `SQLite file with WAL: ${Math.round(now.diskBytes / MiB)} MiB (includes each case's history so far)`,
    });
  }
  return { rows, held: { footprint: now, openCases } };
}
