// What holding open cases costs at one moment: resident memory of the worker and the server, and
// the server's SQLite file (with its write-ahead log).
import { existsSync, statSync } from 'node:fs';
import type { BenchEnvironment } from './environment';
import { rssBytes } from './process-usage';

export interface Footprint {
  workerRss: number;
  serverRss?: number;
  diskBytes?: number;
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export function footprint(env: BenchEnvironment): Footprint {
  const server = env.server;
  return {
    workerRss: rssBytes(env.worker.pid),
    serverRss: server ? rssBytes(server.pid) : undefined,
    diskBytes: server ? ['', '-wal', '-shm'].reduce((sum, suffix) => sum + fileSize(`${server.dbFile}${suffix}`), 0) : undefined,
  };
}

/** Running cases on the bench's task queue, as visibility counts them. */
export async function runningCases(env: BenchEnvironment): Promise<number> {
  const query = `TaskQueue = '${env.worker.settings.taskQueue}' AND ExecutionStatus = 'Running'`;
  return (await env.cases.temporal.workflow.count(query)).count;
}
