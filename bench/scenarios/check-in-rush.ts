// Items 2 and 3: check-ins to open home-isolation cases, API against raw client. The rush is a
// closed loop (C clients as fast as answered: the most the engine does), measured after a warm-up
// on cases of its own; the steady rate is an open loop at the issue's target rate (the latency a
// check-in sees at that load), which follows the rush and so finds the code warm; then the same
// rate while a supervisor keeps looking at the zone's largest list.
import { randomUUID } from 'node:crypto';
import { describeReuse } from '../../api/costly-answers';
import type { BenchEnvironment } from '../environment';
import { LOAD_TIME_LIMIT_SECONDS, evenShares, mergeLoads, runClosedLoop, runOpenLoop, throughput, type LoadResult } from '../load';
import type { CaseRing, OpenCases } from '../open-cases';
import type { CasePath, PathName } from '../paths';
import type { ResultRow } from '../report';
import { ms, percentile, percentiles, round } from '../stats';
import { describeCacheUse } from '../worker-child';
import { compareApiAndRaw, comparisonRow, latencyRow, warmUpBothPaths } from './compare';

/**
 * The rush's warm-up, per path: check-ins to a pool of cases of their own, visited in turn, that
 * the measured check-ins never reach. Session 13 (bench/history.md): with 1,000 per path the bench
 * process still spent ~0.2 ms more per API check-in than with 5,000, and the ratio spread wider.
 */
const RUSH_WARM_UP_PER_PATH = 5_000;
/** The warm-up pool's size: 1,000 cases, at most a quarter of those open, at least one. */
export const rushWarmUpPool = (openCount: number) => Math.max(1, Math.min(1_000, Math.floor(openCount / 4)));

/** Counts which slot placement each check-in got on each side, and how often the worker replayed a case for it. */
class CheckInTally {
  // Per side: a filled slot costs a check-in more (its timer moves) than an extra reading, so an
  // uneven mix would tilt the comparison; the notes show it.
  private readonly placements: Record<PathName, Record<string, number>> = { api: {}, raw: {} };
  private cacheBefore?: Awaited<ReturnType<BenchEnvironment['worker']['cacheMetrics']>>;
  // Each side visits cases of its own: from one shared ring, a load that goes round it more than
  // once gave the side whose legs came first all the filled slots of the first round (at 10k with
  // 12,000 a path, 3,000 against 6,000).
  private readonly rings: Record<PathName, CaseRing>;

  constructor(private readonly env: BenchEnvironment, cases: CaseRing) {
    const [api, raw] = cases.halves();
    this.rings = { api, raw };
  }

  /** How many cases each side's check-ins go round. */
  get casesPerSide(): number {
    return this.rings.api.count;
  }

  /** From here on check-ins are counted. */
  async startCounting(): Promise<void> {
    this.cacheBefore = await this.env.worker.cacheMetrics();
  }

  /** One check-in to the next case in turn, counted. */
  checkIn = async (path: CasePath) => {
    const answer = await checkInTo(this.rings[path.name], path);
    const side = this.placements[path.name];
    side[answer.reading.placement] = (side[answer.reading.placement] ?? 0) + 1;
  };

  async notes(): Promise<string[]> {
    const filled = (name: PathName) => Object.entries(this.placements[name]).map(([placement, n]) => `${placement} ${n}`).join(', ');
    const sides = (['api', 'raw'] as const).filter((name) => Object.keys(this.placements[name]).length > 0);
    return [`readings ${sides.map((name) => `(${name}) ${filled(name)}`).join('; ')}`, describeCacheUse(this.cacheBefore!, await this.env.worker.cacheMetrics())];
  }
}

/** One check-in (a morning reading) to the next of `cases`, with an idempotency key of its own. */
const checkInTo = (cases: Pick<CaseRing, 'pick'>, path: CasePath) => path.checkIn(cases.pick(), `ci-${randomUUID()}`);

export async function measureCheckInRush(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  open.shuffle();
  const { pool, rest } = open.split(rushWarmUpPool(open.count));
  const rush = (checkIn: (path: CasePath) => Promise<unknown>) => (path: CasePath, count: number) => runClosedLoop({
    total: count, concurrency: clients, maxSeconds: LOAD_TIME_LIMIT_SECONDS, operation: () => checkIn(path),
  });
  await warmUpBothPaths(env, RUSH_WARM_UP_PER_PATH, rush((path) => checkInTo(pool, path)));
  const tally = new CheckInTally(env, rest);
  await tally.startCounting();
  const comparison = await compareApiAndRaw(env, perPath, 'check-in', rush(tally.checkIn));
  return comparisonRow('check-in rush', 'check-ins/s', comparison, open.count, [
    `${clients} clients, ${perPath} per path, each over ${Math.min(tally.casesPerSide, perPath)} cases of its own, after ${RUSH_WARM_UP_PER_PATH} unmeasured ones per path (alternating) to ${pool.count} others`,
    ...(await tally.notes()),
  ]);
}

/** More in flight than this means the engine is far behind the rate; the rest are counted as failed. */
const MAX_IN_FLIGHT = 500;

export async function measureSteadyCheckIns(env: BenchEnvironment, open: OpenCases, perPath: number, ratePerSecond: number): Promise<ResultRow> {
  open.shuffle();
  const tally = new CheckInTally(env, open.all());
  await tally.startCounting();
  const comparison = await compareApiAndRaw(env, perPath, 'check-in', (path, count) => runOpenLoop({
    total: count, ratePerSecond, maxSeconds: LOAD_TIME_LIMIT_SECONDS, maxInFlight: MAX_IN_FLIGHT,
    operation: () => tally.checkIn(path),
  }));
  return latencyRow(`check-ins at ${ratePerSecond}/s`, comparison, open.count, [
    `open loop: ${perPath} per path arriving evenly at ${ratePerSecond}/s, latency from when each was due`,
    ...(await tally.notes()),
  ]);
}

/** How often the supervisor looks again, and at what: the list whose total reads every open case. */
const LOOK_EVERY_MS = 1_000;
const LOOKED_AT = 'pending-isolations';
type LookMode = 'reused' | 'afresh';

/** Asks for the list every LOOK_EVERY_MS until told to stop; the latency of each look. */
function keepLooking(env: BenchEnvironment, mode: LookMode): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let looking = true;
  const loop = (async () => {
    while (looking) {
      const started = performance.now();
      await env.api.worklist(LOOKED_AT, { reuse: mode === 'reused' });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, LOOK_EVERY_MS - (performance.now() - started))));
    }
  })();
  return { stop: async () => { looking = false; await loop; return latencies; } };
}

/**
 * Check-ins through the API at the steady rate while a supervisor looks at the pending isolations
 * every second: with the API's reuse of costly totals (its default: one that took 50 ms or more,
 * for 10 s) and counted afresh at every look, in legs ordered A-B-B-A. The count reads every open case on the
 * server's one SQLite connection, which every check-in waits for.
 */
export async function measureCheckInsWhileSupervisorLooks(env: BenchEnvironment, open: OpenCases, perMode: number, ratePerSecond: number): Promise<ResultRow> {
  open.shuffle();
  const tally = new CheckInTally(env, open.all());
  await tally.startCounting();
  const loads: Record<LookMode, LoadResult[]> = { reused: [], afresh: [] };
  const looks: Record<LookMode, number[]> = { reused: [], afresh: [] };
  const [first, second] = evenShares(perMode, 2);
  for (const [mode, count] of [['reused', first], ['afresh', first], ['afresh', second], ['reused', second]] as const) {
    const supervisor = keepLooking(env, mode);
    loads[mode].push(await runOpenLoop({
      total: count, ratePerSecond, maxSeconds: LOAD_TIME_LIMIT_SECONDS, maxInFlight: MAX_IN_FLIGHT,
      operation: () => tally.checkIn(env.api),
    }));
    looks[mode].push(...await supervisor.stop());
  }
  const reused = mergeLoads(loads.reused);
  const afresh = mergeLoads(loads.afresh);
  const reusedTail = percentiles(reused.latenciesMs);
  const tail = (load: LoadResult, { p50, p95, p99 } = percentiles(load.latenciesMs)) =>
    `check-ins p50/p95/p99 ${ms(p50)} / ${ms(p95)} / ${ms(p99)} (${round(throughput(load))}/s achieved${load.failed ? `, ${load.failed} failed` : ''})`;
  const lookNote = (mode: LookMode) => `${looks[mode].length} looks, p50 ${ms(percentile(looks[mode], 0.5))}`;
  return {
    name: `check-ins at ${ratePerSecond}/s, a supervisor looking every second`, unit: 'ms p99',
    value: reusedTail.p99, ...reusedTail, openCases: open.count,
    notes: [
      `API only: ${perMode} check-ins per mode arriving evenly at ${ratePerSecond}/s while GET /api/worklists/${LOOKED_AT} (page 1 + total) is asked every ${LOOK_EVERY_MS / 1000} s; legs reused, afresh, afresh, reused`,
      `with the API's reuse (${describeReuse(env.countReuse)}; value and percentiles): ${tail(reused, reusedTail)}, ${lookNote('reused')}`,
      `counted afresh at every look (Cache-Control: no-cache): ${tail(afresh)}, ${lookNote('afresh')}`,
      ...(await tally.notes()),
    ].join('; '),
  };
}
