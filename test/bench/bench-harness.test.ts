// The bench's own logic that a wrong number would come from: the open-loop load's bookkeeping,
// the hold policy's promise that held cases sleep while a check-in still fills an open slot, the
// reading of the server's database calls from its metrics, the order of an API/raw comparison,
// which open cases a load visits, the worker settings `--cache` gives, and what the run says it ran on.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenLoop } from '../../bench/load';
import { OpenCases } from '../../bench/open-cases';
import { temporalLine } from '../../bench/machine';
import { holdPolicy } from '../../bench/policies';
import { CpuAccount, cpuSeconds, describeCpuMs } from '../../bench/process-usage';
import { parseSamples } from '../../bench/prometheus';
import { benchConfig, type BenchEnvironment } from '../../bench/environment';
import type { CasePath } from '../../bench/paths';
import { rushWarmUpPool } from '../../bench/scenarios/check-in-rush';
import { describeLegs, legPlan, warmUpBothPaths } from '../../bench/scenarios/compare';
import { registrationWarmUp } from '../../bench/scenarios/registration';
import { dbCalls, ServerDbAccount } from '../../bench/server-db';
import { buildSlots, placeCheckIn } from '../../domain/slots';
import { HOUR_MS, MINUTE_MS, localDateOf } from '../../domain/time';

describe('open-loop load', () => {
  it('keeps sending at its rate while earlier requests wait, and refuses beyond the in-flight cap', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const started: number[] = [];
    const result = await runOpenLoop({
      total: 6, ratePerSecond: 1000, maxSeconds: 60, maxInFlight: 3,
      operation: async (index) => {
        started.push(index);
        if (started.length === 3) setTimeout(release, 20);
        await gate;
      },
    });
    expect(started).toEqual([0, 1, 2]);
    expect(result).toMatchObject({ completed: 3, failed: 3, truncated: false, errors: ['more than 3 requests in flight'] });
    expect(result.latenciesMs).toHaveLength(3);
  });

  it('counts a rejected request as failed with its message, and stops at the time limit', async () => {
    const result = await runOpenLoop({
      total: 1_000_000, ratePerSecond: 200, maxSeconds: 0.05, maxInFlight: 10,
      operation: async (index) => { if (index === 0) throw new Error('case not found\nstack'); },
    });
    expect(result.failed).toBe(1);
    expect(result.errors).toEqual(['case not found']);
    expect(result.truncated).toBe(true);
    expect(result.completed).toBeLessThan(1_000_000);
  });
});

describe('API/raw comparison legs', () => {
  it('alternate A-B-B-A-B-A-A-B, and each side does exactly its share in legs that differ by at most one', () => {
    expect(legPlan(2000).map((leg) => `${leg.path} ${leg.count}`)).toEqual([
      'api 500', 'raw 500', 'raw 500', 'api 500', 'raw 500', 'api 500', 'api 500', 'raw 500',
    ]);
    for (const perPath of [1, 3, 5, 999, 2001]) {
      const legs = legPlan(perPath);
      for (const side of ['api', 'raw'] as const) {
        const counts = legs.filter((leg) => leg.path === side).map((leg) => leg.count);
        expect(counts.reduce((a, b) => a + b, 0), `${side} of ${perPath}`).toBe(perPath);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
      expect(legs.every((leg) => leg.count > 0)).toBe(true);
    }
    expect(legPlan(0)).toEqual([]);
  });

  it('are each reported, in order, with each side\'s slowest and fastest leg', () => {
    expect(describeLegs([
      { path: 'api', perSecond: 291.4 }, { path: 'raw', perSecond: 385 }, { path: 'raw', perSecond: 420.2 }, { path: 'api', perSecond: 484 },
    ])).toBe('legs in order, per s: api 291, raw 385, raw 420, api 484; each side\'s slowest–fastest leg: api 291–484, raw 385–420');
  });

  it('are preceded by a warm-up that alternates the sides in four chunks', async () => {
    const env = { api: { name: 'api' }, raw: { name: 'raw' } } as unknown as BenchEnvironment;
    const warmUp = async (perSide: number) => {
      const chunks: string[] = [];
      await warmUpBothPaths(env, perSide, async (path: CasePath, count: number) => { chunks.push(`${path.name} ${count}`); });
      return chunks;
    };
    expect(await warmUp(1000)).toEqual(['api 250', 'raw 250', 'api 250', 'raw 250', 'api 250', 'raw 250', 'api 250', 'raw 250']);
    expect(await warmUp(6)).toEqual(['api 1', 'raw 1', 'api 2', 'raw 2', 'api 1', 'raw 1', 'api 2', 'raw 2']);
    expect(await warmUp(1)).toEqual(['api 1', 'raw 1']);
  });

  it('warm up registrations as many as are measured, at most 1,000 per side', () => {
    expect([registrationWarmUp(3000), registrationWarmUp(1000), registrationWarmUp(6), registrationWarmUp(1)]).toEqual([1000, 1000, 6, 1]);
  });

  it('warm up the rush on a pool of 1,000 cases, at most a quarter of those open, at least one', () => {
    expect([rushWarmUpPool(190_000), rushWarmUpPool(4000), rushWarmUpPool(2000), rushWarmUpPool(7), rushWarmUpPool(1)]).toEqual([1000, 1000, 500, 1, 1]);
  });
});

describe('open cases', () => {
  const opened = (count: number) => {
    const open = new OpenCases();
    for (let i = 0; i < count; i++) open.add(`case-${i}`);
    open.shuffle();
    return open;
  };
  const visits = (ring: { pick(): string }, count: number) => Array.from({ length: count }, () => ring.pick());

  it('split into a pool and the rest that share no case, each visited in turn', () => {
    const { pool, rest } = opened(10).split(3);
    expect([pool.count, rest.count]).toEqual([3, 7]);
    const inPool = visits(pool, 6);
    const inRest = visits(rest, 7);
    expect(inPool.slice(3)).toEqual(inPool.slice(0, 3));
    expect(new Set(inRest).size).toBe(7);
    expect(inRest.filter((id) => inPool.includes(id))).toEqual([]);
  });

  it('deal into two halves that share no case, so that each side of a comparison fills slots of its own', () => {
    const [api, raw] = opened(9).all().halves();
    expect([api.count, raw.count]).toEqual([5, 4]);
    const ofApi = visits(api, 10);
    const ofRaw = visits(raw, 4);
    expect(new Set(ofApi).size).toBe(5);
    expect(ofApi.slice(5)).toEqual(ofApi.slice(0, 5));
    expect(new Set([...ofApi, ...ofRaw]).size).toBe(9);
    const [only, same] = opened(1).all().halves();
    expect([only.pick(), same.pick()]).toEqual(['case-0', 'case-0']);
  });

  it('leave the rest all of them when the pool takes every case', () => {
    const open = opened(4);
    const { rest } = open.split(4);
    expect(new Set(visits(rest, 4)).size).toBe(4);
  });

  it('are visited each once before any twice, in a new order after each shuffle', () => {
    const open = opened(50);
    const first = visits(open, 50);
    expect(new Set(first).size).toBe(50);
    open.shuffle();
    expect(visits(open, 50)).not.toEqual(first);
  });
});

describe('hold policy', () => {
  const shanghaiMidnight = Date.parse('2026-11-29T00:00:00+08:00');

  it.each(Array.from({ length: 48 }, (_, i) => i * 30))('at %i minutes past midnight in Shanghai: no deadline for 2 hours; the next slot is open when it falls today', (minute) => {
    const now = shanghaiMidnight + minute * MINUTE_MS;
    const policy = holdPolicy(now);
    const slots = buildSlots(localDateOf(now), 14, policy, now);
    expect(slots[0].dueAt - now).toBeGreaterThanOrEqual(2 * HOUR_MS);
    const placement = placeCheckIn(slots, now).status;
    if (minute <= 22 * 60 - 1) expect(placement).toBe('done');
    else expect(placement).toBe('unscheduled');
  });
});

describe('server database account', () => {
  // The shape of the dev server's /metrics: counters and latency sums per operation, service and namespace.
  const scrape = (updates: number, upserts: number) => [
    '# HELP persistence_requests persistence_requests counter',
    '# TYPE persistence_requests counter',
    `persistence_requests{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} ${updates}`,
    `persistence_requests{namespace="system",operation="UpdateWorkflowExecution",service_name="history"} ${updates}`,
    `persistence_latency_sum{namespace="default",operation="UpdateWorkflowExecution",service_name="history"} ${updates * 0.001}`,
    `persistence_latency_sum{namespace="system",operation="UpdateWorkflowExecution",service_name="history"} ${updates * 0.001}`,
    `persistence_latency_bucket{namespace="default",operation="UpdateWorkflowExecution",service_name="history",le="0.005"} ${updates}`,
    `visibility_persistence_requests{operation="UpsertWorkflowExecution",service_name="history",visibility_type="standard"} ${upserts}`,
    `visibility_persistence_latency_sum{operation="UpsertWorkflowExecution",service_name="history",visibility_type="standard"} ${upserts * 0.02}`,
    'service_requests{operation="PollWorkflowTaskQueue",service_name="frontend"} 7',
  ].join('\n');

  it('reads samples with and without labels, escaped label values and +Inf, and skips comments', () => {
    const samples = parseSamples([
      '# TYPE up gauge', 'up 1',
      'x_bucket{le="+Inf",path="a \\"quoted\\" one"} 3',
      'temporal_sticky_cache_size{namespace="default"} +Inf', '',
    ].join('\n'));
    expect(samples).toEqual([
      { name: 'up', labels: {}, value: 1 },
      { name: 'x_bucket', labels: { le: '+Inf', path: 'a \\"quoted\\" one' }, value: 3 },
      { name: 'temporal_sticky_cache_size', labels: { namespace: 'default' }, value: Infinity },
    ]);
  });

  it('sums calls and seconds per operation over services and namespaces, ignoring other metrics', () => {
    const calls = dbCalls(parseSamples(scrape(10, 4)));
    expect(Object.keys(calls).sort()).toEqual(['UpdateWorkflowExecution', 'UpsertWorkflowExecution']);
    expect(calls.UpdateWorkflowExecution.calls).toBe(20);
    expect(calls.UpdateWorkflowExecution.seconds).toBeCloseTo(0.02);
    expect(calls.UpsertWorkflowExecution).toEqual({ calls: 4, seconds: expect.closeTo(0.08) });
  });

  let server: Server;
  let counts = { updates: 100, upserts: 50 };
  beforeAll(async () => {
    server = createServer((_, response) => response.end(scrape(counts.updates, counts.upserts)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts only what happened during the work, per item, busiest operation first', async () => {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    const account = new ServerDbAccount(url);
    const answer = await account.during(async () => {
      counts = { updates: 130, upserts: 60 }; // 10 escalations: 3 updates each (×2 label sets) and 1 upsert
      return 'done';
    });
    expect(answer).toBe('done');
    expect(account.describePer('escalation', 10)).toBe(
      'server DB per escalation: 7.0 calls, 26.00 ms (UpsertWorkflowExecution 1.00 / 20.00 ms, UpdateWorkflowExecution 6.00 / 6.00 ms)');
  });

  it('says nothing when the server is not the bench\'s own', async () => {
    const account = new ServerDbAccount(undefined);
    expect(await account.during(async () => 42)).toBe(42);
    expect(account.describePer('check-in', 100)).toBeUndefined();
  });
});

describe('CPU per operation', () => {
  it('divides the CPU a process used during the work by the operations done', async () => {
    const account = new CpuAccount({ bench: process.pid });
    await account.during(async () => {
      // Busy until the kernel has counted at least 50 ms of this process's CPU (ticks are 10 ms).
      const start = cpuSeconds(process.pid);
      let x = 0;
      while (cpuSeconds(process.pid) - start < 0.05) for (let i = 0; i < 1e6; i++) x += i;
      return x;
    });
    const perOne = account.msPer(1).bench;
    expect(perOne).toBeGreaterThanOrEqual(50);
    expect(account.msPer(100).bench).toBeCloseTo(perOne / 100);
    expect(Object.keys(account.msPer(1))).toEqual(['bench']); // the machine total is not a process
    expect(describeCpuMs({ worker: 2.125, server: 3 })).toBe('worker 2.13 ms, server 3.00 ms');
  });
});

describe('--cache', () => {
  it('sets the worker cache, and is refused where WORKER_MAX_CACHED_WORKFLOWS would be', () => {
    expect(benchConfig(undefined, {}).worker.maxCachedWorkflows).toBe(10_000);
    expect(benchConfig(undefined, { WORKER_MAX_CACHED_WORKFLOWS: '3000' }).worker.maxCachedWorkflows).toBe(3000);
    expect(benchConfig(2000, { WORKER_MAX_CACHED_WORKFLOWS: '3000' }).worker.maxCachedWorkflows).toBe(2000);
    expect(() => benchConfig(1, {})).toThrow(/--cache 1 stands for WORKER_MAX_CACHED_WORKFLOWS: WORKER_MAX_CACHED_WORKFLOWS must be 0 \(no cache\) or at least 2/);
    expect(() => benchConfig(20, {})).toThrow(/must not exceed WORKER_MAX_CACHED_WORKFLOWS \(20\)/);
  });
});

describe('the Temporal line of the run notes', () => {
  it('names the visibility indexes of the bench\'s own server, and says when the server is not measured', () => {
    expect(temporalLine('127.0.0.1:7233', { visibilityIndexes: 'trimmed', visibilityIndexNames: ['by_workflow_id', 'default_idx'] }))
      .toBe('embedded dev server (SQLite WAL, temp file; visibility table trimmed, 2 indexes: by_workflow_id, default_idx) at 127.0.0.1:7233');
    expect(temporalLine('127.0.0.1:7233', { visibilityIndexes: 'kept: no sqlite3 on PATH' }))
      .toBe('embedded dev server (SQLite WAL, temp file; visibility table kept: no sqlite3 on PATH) at 127.0.0.1:7233');
    expect(temporalLine('temporal.zone.example:7233')).toBe('TEMPORAL_ADDRESS temporal.zone.example:7233 (server not measured)');
  });
});
