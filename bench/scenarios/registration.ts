// Item 1: registrations per second through the API and through the raw client (update-with-start).
import type { BenchEnvironment } from '../environment';
import { LOAD_TIME_LIMIT_SECONDS, runClosedLoop } from '../load';
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

/** Registrations per path before measuring: the first leg must not pay alone for a cold server, worker and JIT. */
const WARM_UP_PER_CLIENT = 4;

export async function measureRegistration(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  for (const path of [env.api, env.raw]) await registerMany(path, open, clients * WARM_UP_PER_CLIENT, clients);
  const comparison = await compareApiAndRaw(env, perPath, 'registration', (path, count) => registerMany(path, open, count, clients));
  return comparisonRow('registration', 'cases/s', comparison, open.count,
    [`${perPath} per path after ${clients * WARM_UP_PER_CLIENT} unmeasured ones, ${clients} clients; yellow code → home isolation`]);
}
