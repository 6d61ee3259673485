// Item 5: how long a supervisor waits for a list — its first page and its total — through the API
// and through the raw client's list and count. One request at a time: latency, not throughput.
import { worklistQuery } from '../../api/worklists';
import type { BenchEnvironment } from '../environment';
import type { CasePath } from '../paths';
import type { ResultRow } from '../report';
import { ms, percentile, percentiles } from '../stats';

// The two, and a narrow one (cases awaiting a doctor's review: none or few) whose cost should
// not grow with the zone: it did, while SQLite planned every list by an index on ExecutionStatus.
export const SUPERVISOR_LISTS = ['pending-isolations', 'overdue', 'medical-review'] as const;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export async function measureSupervisorList(env: BenchEnvironment, list: string, samples: number, openCases: number): Promise<ResultRow> {
  const latencies: Record<'api' | 'raw' | 'count' | 'reused', number[]> = { api: [], raw: [], count: [], reused: [] };
  let total = 0;
  let items = 0;
  const query = worklistQuery(list, Date.now())!;
  for (let i = 0; i < samples; i++) {
    // Alternating, so both sides see the same database and the same background load.
    for (const path of [env.api, env.raw] as CasePath[]) {
      const [elapsed, page] = await timed(() => path.worklist(list));
      latencies[path.name].push(elapsed);
      ({ total, items } = page);
    }
    latencies.count.push((await timed(() => env.cases.temporal.workflow.count(query)))[0]);
    // What a supervisor who looks again meets: the API reuses a total that was costly to count.
    latencies.reused.push((await timed(() => env.api.worklist(list, { reuse: true })))[0]);
  }
  const api = percentile(latencies.api, 0.5);
  const raw = percentile(latencies.raw, 0.5);
  const rawTail = percentiles(latencies.raw);
  return {
    name: `list ${list} (page 1 + total)`, unit: 'ms p50', api, raw,
    ratio: api && raw ? raw / api : undefined,
    ...percentiles(latencies.api), openCases,
    notes: [
      `${samples} samples per side; total ${total}, page of ${items}`,
      `raw p95/p99 ${ms(rawTail.p95)} / ${ms(rawTail.p99)}; raw count alone p50 ${ms(percentile(latencies.count, 0.5))}`,
      `API with a costly total reused (no Cache-Control, the API's default) p50/p99 ${ms(percentile(latencies.reused, 0.5))} / ${ms(percentile(latencies.reused, 0.99))}`,
    ].join('; '),
  };
}
