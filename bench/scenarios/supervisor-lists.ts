// Item 5: how long a supervisor waits for a list — its first page and its total — and for the
// counts by village and status, through the API and through the raw client's list and counts.
// One request at a time: latency, not throughput.
import { describeReuse } from '../../api/costly-answers';
import { worklistQuery } from '../../api/worklists';
import type { BenchEnvironment } from '../environment';
import type { CasePath } from '../paths';
import type { ResultRow } from '../report';
import { ms, percentile, percentiles } from '../stats';

// The two, and a narrow one (cases awaiting a doctor's review: none or few) whose cost should
// not grow with the zone: it did, while SQLite planned every list by an index on ExecutionStatus.
export const SUPERVISOR_LISTS = ['pending-isolations', 'overdue', 'medical-review'] as const;

/** One kind of supervisor request, asked the same way through either path. */
interface SupervisorRequest {
  name: string;
  /** Asks it; `reuse`: the API may answer with a costly count taken a few seconds ago. Says what came back. */
  ask(path: CasePath, reuse: boolean): Promise<string>;
  /** The raw count alone, where there is one count to time. */
  countAlone?: () => Promise<unknown>;
}

export function listRequest(env: BenchEnvironment, list: string): SupervisorRequest {
  const query = worklistQuery(list, Date.now())!;
  return {
    name: `list ${list} (page 1 + total)`,
    ask: async (path, reuse) => {
      const { total, items } = await path.worklist(list, { reuse });
      return `total ${total}, page of ${items}`;
    },
    countAlone: () => env.cases.temporal.workflow.count(query),
  };
}

export function statsRequest(): SupervisorRequest {
  return {
    name: 'stats by village and status',
    ask: async (path, reuse) => `${await path.stats({ reuse })} cases counted`,
  };
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export async function measureSupervisorRequest(env: BenchEnvironment, request: SupervisorRequest, samples: number, openCases: number): Promise<ResultRow> {
  const latencies: Record<'api' | 'raw' | 'count' | 'reused', number[]> = { api: [], raw: [], count: [], reused: [] };
  let answer = '';
  for (let i = 0; i < samples; i++) {
    // Alternating, so both sides see the same database and the same background load.
    for (const path of [env.api, env.raw] as CasePath[]) {
      const [elapsed, said] = await timed(() => request.ask(path, false));
      latencies[path.name].push(elapsed);
      answer = said;
    }
    if (request.countAlone) latencies.count.push((await timed(request.countAlone))[0]);
    // What a supervisor who looks again meets: the API reuses a count that was costly to take.
    latencies.reused.push((await timed(() => request.ask(env.api, true)))[0]);
  }
  const api = percentile(latencies.api, 0.5);
  const raw = percentile(latencies.raw, 0.5);
  const rawTail = percentiles(latencies.raw);
  return {
    name: request.name, unit: 'ms p50', api, raw,
    ratio: api && raw ? raw / api : undefined,
    ...percentiles(latencies.api), openCases,
    notes: [
      `${samples} samples per side, the API's counted afresh (Cache-Control: no-cache); ${answer}`,
      `raw p95/p99 ${ms(rawTail.p95)} / ${ms(rawTail.p99)}`,
      ...(request.countAlone ? [`raw count alone p50 ${ms(percentile(latencies.count, 0.5))}`] : []),
      `API as a supervisor's repeated look meets it (no Cache-Control: ${describeReuse(env.countReuse)}) p50/p99 ${ms(percentile(latencies.reused, 0.5))} / ${ms(percentile(latencies.reused, 0.99))}`,
    ].join('; '),
  };
}
