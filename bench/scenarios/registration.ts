// Item 1: registrations per second through the API and through the raw client (update-with-start).
import type { BenchEnvironment } from '../environment';
import { LOAD_TIME_LIMIT_SECONDS, runClosedLoop } from '../load';
import type { OpenCases } from '../open-cases';
import type { CasePath } from '../paths';
import type { ResultRow } from '../report';
import { compareApiAndRaw, comparisonRow, warmUpBothPaths } from './compare';

/** Registers `count` new people through one path, `clients` at a time; each becomes an open case. */
export function registerMany(path: CasePath, open: OpenCases, count: number, clients: number, maxSeconds = LOAD_TIME_LIMIT_SECONDS) {
  return runClosedLoop({
    total: count, concurrency: clients, maxSeconds,
    operation: async () => open.add(await path.register(open.nextIntake())),
  });
}

/** Registrations' warm-up per path: as many as are measured, at most 1,000 (each opens a case). */
export const registrationWarmUp = (perPath: number) => Math.min(perPath, 1_000);

export async function measureRegistration(env: BenchEnvironment, open: OpenCases, perPath: number, clients: number): Promise<ResultRow> {
  const run = (path: CasePath, count: number) => registerMany(path, open, count, clients);
  const warmUp = registrationWarmUp(perPath);
  await warmUpBothPaths(env, warmUp, run);
  const comparison = await compareApiAndRaw(env, perPath, 'registration', run);
  return comparisonRow('registration', 'cases/s', comparison, open.count,
    [`${perPath} per path after ${warmUp} unmeasured ones per path (alternating), ${clients} clients; yellow code → home isolation`]);
}
