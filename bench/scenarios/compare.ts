// API against raw client, fairly: the same load in legs ordered API, raw, raw, API, raw, API, API,
// raw, so that neither side profits from a warmer cache or suffers from a fuller database, and the
// server's occasional heavy moments (a WAL checkpoint copying 80 MB) fall on both sides alike.
// Each side's legs are merged.
import type { BenchEnvironment } from '../environment';
import type { CasePath, PathName } from '../paths';
import { evenShares, mergeLoads, throughput, type LoadResult } from '../load';
import { CpuAccount, describeCpu, describeCpuMs } from '../process-usage';
import type { ResultRow } from '../report';
import { ServerDbAccount } from '../server-db';
import { percentiles, ms, round } from '../stats';

export interface Comparison {
  api: LoadResult;
  raw: LoadResult;
  /** Each leg's side and throughput, in the order run: the spread within the run. */
  legs: LegRate[];
  /** CPU of each process while each side ran, in % of a core and in ms per completed operation. */
  cpu: Record<PathName, Record<string, number>>;
  cpuMsPerOperation: Record<PathName, Record<string, number>>;
  /** The server's database calls per operation, both sides together (embedded server only). */
  serverDb?: string;
}

/** Counterbalanced (A-B-B-A-B-A-A-B): a linear or a quadratic drift over the run favours neither side. */
const LEG_ORDER: readonly PathName[] = ['api', 'raw', 'raw', 'api', 'raw', 'api', 'api', 'raw'];
const LEGS_PER_SIDE = LEG_ORDER.length / 2;

export interface Leg { path: PathName; count: number }
export interface LegRate { path: PathName; perSecond: number }

/**
 * Unmeasured operations per path before a comparison, in alternating chunks: the API's own code
 * (HTTP, Express, validation) runs only in its legs, and on a machine the server keeps busy V8
 * takes thousands of requests to optimise it. Measured without this, the first API leg paid for
 * that (bench CPU per registration 2.5–3 ms, falling to ~1.3 ms; per check-in 2.4 ms, falling to
 * ~1.4 ms), which a long-running API pays once. Each scenario says how many (bench/README.md).
 */
const WARM_UP_CHUNKS = 4;

/** Runs `perSide` unmeasured operations on each path, alternating in four chunks. */
export async function warmUpBothPaths(env: BenchEnvironment, perSide: number, leg: (path: CasePath, count: number) => Promise<unknown>): Promise<void> {
  for (const chunk of evenShares(perSide, WARM_UP_CHUNKS).filter((share) => share > 0)) {
    for (const path of [env.api, env.raw]) await leg(path, chunk);
  }
}

/** The legs of a comparison, in order: each side's legs add up to `perPath` and differ by at most one. */
export function legPlan(perPath: number): Leg[] {
  const shares = evenShares(perPath, LEGS_PER_SIDE);
  const legsPlanned: Record<PathName, number> = { api: 0, raw: 0 };
  return LEG_ORDER.map((path) => ({ path, count: shares[legsPlanned[path]++] })).filter((leg) => leg.count > 0);
}

/**
 * Runs `leg(path, count)` along legPlan(perPath): eight legs, `perPath` operations per side in all;
 * `operation` names one of them ("check-in") in the server's database account.
 */
export async function compareApiAndRaw(
  env: BenchEnvironment,
  perPath: number,
  operation: string,
  leg: (path: CasePath, count: number) => Promise<LoadResult>,
): Promise<Comparison> {
  const results: Record<PathName, LoadResult[]> = { api: [], raw: [] };
  const legs: LegRate[] = [];
  const accounts: Record<PathName, CpuAccount> = { api: new CpuAccount(env.processes), raw: new CpuAccount(env.processes) };
  const db = new ServerDbAccount(env.server?.metricsUrl);
  for (const { path, count } of legPlan(perPath)) {
    const result = await db.during(() => accounts[path].during(() => leg(env[path], count)));
    results[path].push(result);
    legs.push({ path, perSecond: throughput(result) });
  }
  const api = mergeLoads(results.api);
  const raw = mergeLoads(results.raw);
  return {
    api, raw, legs,
    cpu: { api: accounts.api.percent(), raw: accounts.raw.percent() },
    cpuMsPerOperation: { api: accounts.api.msPer(api.completed), raw: accounts.raw.msPer(raw.completed) },
    serverDb: db.describePer(operation, api.completed + raw.completed),
  };
}

function problems(name: PathName, result: LoadResult): string[] {
  const notes: string[] = [];
  if (result.failed) notes.push(`${name}: ${result.failed} failed (${result.errors.join('; ')})`);
  if (result.truncated) notes.push(`${name}: stopped by the time limit`);
  return notes;
}

/** What every comparison row ends its notes with: raw latencies, CPU per side, failures. */
function commonNotes(comparison: Comparison): string[] {
  const rawLatency = percentiles(comparison.raw.latenciesMs);
  return [
    `raw p50/p95/p99 ${ms(rawLatency.p50)} / ${ms(rawLatency.p95)} / ${ms(rawLatency.p99)}`,
    `CPU (api legs) ${describeCpu(comparison.cpu.api)}; (raw legs) ${describeCpu(comparison.cpu.raw)}`,
    // On a busy machine a throughput ratio is mostly this: what one operation costs on each side.
    `CPU per operation (api) ${describeCpuMs(comparison.cpuMsPerOperation.api)}; (raw) ${describeCpuMs(comparison.cpuMsPerOperation.raw)}`,
    ...(comparison.serverDb ? [comparison.serverDb] : []),
    ...problems('api', comparison.api),
    ...problems('raw', comparison.raw),
  ];
}

/** "legs in order, per s: api 291, raw 385, …; each side's slowest–fastest leg: api 291–484, raw 381–420". */
export function describeLegs(legs: readonly LegRate[]): string {
  const range = (side: PathName) => {
    const rates = legs.filter((leg) => leg.path === side).map((leg) => leg.perSecond);
    return rates.length ? `${side} ${round(Math.min(...rates))}–${round(Math.max(...rates))}` : `${side} none`;
  };
  return `legs in order, per s: ${legs.map((leg) => `${leg.path} ${round(leg.perSecond)}`).join(', ')}; each side's slowest–fastest leg: ${range('api')}, ${range('raw')}`;
}

/** A throughput row: api and raw per second, their ratio, and the API's latency percentiles. */
export function comparisonRow(name: string, unit: string, comparison: Comparison, openCases: number, notes: string[] = []): ResultRow {
  const api = throughput(comparison.api);
  const raw = throughput(comparison.raw);
  return {
    name, unit, api, raw, ratio: raw > 0 ? api / raw : undefined,
    ...percentiles(comparison.api.latenciesMs),
    openCases,
    notes: [...notes, describeLegs(comparison.legs), ...commonNotes(comparison)].join('; '),
  };
}

/** A latency row at a given load: api and raw p99, raw ÷ api, the API's percentiles and the rates achieved. */
export function latencyRow(name: string, comparison: Comparison, openCases: number, notes: string[] = []): ResultRow {
  const api = percentiles(comparison.api.latenciesMs);
  const raw = percentiles(comparison.raw.latenciesMs);
  return {
    name, unit: 'ms p99', api: api.p99, raw: raw.p99,
    ratio: api.p99 && raw.p99 ? raw.p99 / api.p99 : undefined,
    ...api,
    openCases,
    notes: [
      ...notes,
      `achieved api ${round(throughput(comparison.api))}/s, raw ${round(throughput(comparison.raw))}/s`,
      ...commonNotes(comparison),
    ].join('; '),
  };
}
