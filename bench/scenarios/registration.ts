// Item 1: registrations per second through the API and through the raw client (update-with-start).
import type { BenchEnvironment } from '../environment';
import { evenShares, LOAD_TIME_LIMIT_SECONDS, runClosedLoop } from '../load';
import type { OpenCases } from '../open-cases';
import type { CasePath } from '../paths';
import type { ResultRow } from '../report';
import { compareApiAndRaw, comparisonRow } from './compare';

/** Registers `count` new people through one path, `clients` at a time; each becomes an open case. */
export function registerMany(path: CasePath, open: OpenCases, count: number, clients: number, maxSeconds = LOAD_TIME_LIMIT_SECONDS) {
  return runClosedLoop({
    total: count, concurrency: clients, maxSeconds,
    operation: async () => open.add(await path.register(open.nextIntake())),
  });
}

/**
 * Unmeasured registrations per path before measuring, in alternating chunks: the API's own code
 * (HTTP, Express, validation) runs only in its legs, and on a machine the server keeps busy V8
 * takes thousands of requests to optimise it. Measured without this, the first API leg paid for
 * that (2.5–3 ms of bench CPU per registration, falling to ~1.3 ms), which a long-running API does once.
 */
const WARM_UP_MAX_PER_PATH = 1_000;
const WARM_UP_CHUNKS = 4;

export async function measureRegistration(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  const warmUp = Math.min(perPath, WARM_UP_MAX_PER_PATH);
  for (const chunk of evenShares(warmUp, WARM_UP_CHUNKS)) {
    for (const path of [env.api, env.raw]) await registerMany(path, open, chunk, clients);
  }
  const comparison = await compareApiAndRaw(env, perPath, 'registration', (path, count) => registerMany(path, open, count, clients));
  return comparisonRow('registration', 'cases/s', comparison, open.count,
    [`${perPath} per path after ${warmUp} unmeasured ones per path (alternating), ${clients} clients; yellow code → home isolation`]);
}
