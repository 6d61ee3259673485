// Items 2 and 3: check-ins to open home-isolation cases, API against raw client. The rush is a
// closed loop (C clients as fast as answered: the most the engine does), measured after a warm-up
// like registration's; the steady rate is an open loop at the target rate (the latency a
// check-in sees at that load), which follows the rush and so finds the code warm.
import { randomUUID } from 'node:crypto';
import type { BenchEnvironment } from '../environment';
import { LOAD_TIME_LIMIT_SECONDS, runClosedLoop, runOpenLoop } from '../load';
import type { OpenCases } from '../open-cases';
import type { CasePath, PathName } from '../paths';
import type { ResultRow } from '../report';
import { describeCacheUse } from '../worker-child';
import { compareApiAndRaw, comparisonRow, latencyRow, warmUpBothPaths } from './compare';

/** Counts which slot placement each check-in got on each side, and how often the worker replayed a case for it. */
class CheckInTally {
  // Per side: a filled slot costs a check-in more (its timer moves) than an extra reading, so an
  // uneven mix would tilt the comparison; the notes show it.
  private readonly placements: Record<PathName, Record<string, number>> = { api: {}, raw: {} };
  private cacheBefore?: Awaited<ReturnType<BenchEnvironment['worker']['cacheMetrics']>>;

  constructor(private readonly env: BenchEnvironment, private readonly open: OpenCases) {}

  /** A new order of visits: the warm-up's check-ins (if any) and then the measured ones go to distinct cases while they last. */
  shuffle(): void {
    this.open.shuffle();
  }

  /** From here on check-ins are counted. */
  async startCounting(): Promise<void> {
    this.cacheBefore = await this.env.worker.cacheMetrics();
  }

  /** One check-in to the next case in the shuffled order, not counted (the warm-up's). */
  uncountedCheckIn = (path: CasePath) => path.checkIn(this.open.pick(), `ci-${randomUUID()}`);

  /** One check-in to the next case in the shuffled order, counted. */
  checkIn = async (path: CasePath) => {
    const answer = await this.uncountedCheckIn(path);
    const side = this.placements[path.name];
    side[answer.reading.placement] = (side[answer.reading.placement] ?? 0) + 1;
  };

  async notes(): Promise<string[]> {
    const filled = (name: PathName) => Object.entries(this.placements[name]).map(([placement, n]) => `${placement} ${n}`).join(', ');
    return [`readings (api) ${filled('api')}; (raw) ${filled('raw')}`, describeCacheUse(this.cacheBefore!, await this.env.worker.cacheMetrics())];
  }
}

export async function measureCheckInRush(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  const tally = new CheckInTally(env, open);
  tally.shuffle();
  const rush = (checkIn: (path: CasePath) => Promise<unknown>) => (path: CasePath, count: number) => runClosedLoop({
    total: count, concurrency: clients, maxSeconds: LOAD_TIME_LIMIT_SECONDS, operation: () => checkIn(path),
  });
  const warmUp = await warmUpBothPaths(env, perPath, rush(tally.uncountedCheckIn));
  await tally.startCounting();
  const comparison = await compareApiAndRaw(env, perPath, 'check-in', rush(tally.checkIn));
  const visited = Math.min(open.count, 2 * (warmUp + perPath));
  return comparisonRow('check-in rush', 'check-ins/s', comparison, open.count, [
    `${clients} clients, ${perPath} per path after ${warmUp} unmeasured ones per path (alternating), over ${visited} cases`,
    ...(await tally.notes()),
  ]);
}

/** More in flight than this means the engine is far behind the rate; the rest are counted as failed. */
const MAX_IN_FLIGHT = 500;

export async function measureSteadyCheckIns(env: BenchEnvironment, open: OpenCases, perPath: number, ratePerSecond: number): Promise<ResultRow> {
  const tally = new CheckInTally(env, open);
  tally.shuffle();
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
