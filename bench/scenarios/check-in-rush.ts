// Items 2 and 3: C clients checking in to open home-isolation cases, API against raw client.
import { randomUUID } from 'node:crypto';
import type { BenchEnvironment } from '../environment';
import { LOAD_TIME_LIMIT_SECONDS, runClosedLoop } from '../load';
import type { OpenCases } from '../open-cases';
import type { ResultRow } from '../report';
import { compareApiAndRaw, comparisonRow } from './compare';

export async function measureCheckInRush(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  open.shuffle();
  const placements: Record<string, number> = {};
  const cacheBefore = await env.worker.cacheMetrics();
  const comparison = await compareApiAndRaw(env, perPath, env.processes, (path, count) => runClosedLoop({
    total: count, concurrency: clients, maxSeconds: LOAD_TIME_LIMIT_SECONDS,
    operation: async () => {
      const answer = await path.checkIn(open.pick(), `ci-${randomUUID()}`);
      placements[answer.reading.placement] = (placements[answer.reading.placement] ?? 0) + 1;
    },
  }));
  const cache = await env.worker.cacheMetrics();
  const filled = Object.entries(placements).map(([placement, n]) => `${placement} ${n}`).join(', ');
  return comparisonRow('check-in rush', 'check-ins/s', comparison, open.count, [
    `${clients} clients, ${perPath} per path over ${Math.min(open.count, 2 * perPath)} cases`,
    `readings: ${filled}`,
    `worker cache: ${cache.hits - cacheBefore.hits} hits, ${cache.misses - cacheBefore.misses} misses (replays), ${cache.forcedEvictions - cacheBefore.forcedEvictions} evictions`,
  ]);
}
