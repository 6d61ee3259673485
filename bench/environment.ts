// Everything the bench measures, started fresh for one run: a Temporal dev server on a SQLite
// file in a temporary directory (or TEMPORAL_ADDRESS, like the app), the case worker in its own
// process, and the API in this process on a free port. Fresh keys every run; all removed at the end.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import pino from 'pino';
import { publicKeyPemFrom } from '../activities/green-pass';
import { createApp } from '../api/app';
import { COSTLY_COUNT_MS, type CostlyAnswerOptions } from '../api/costly-answers';
import { mintToken, type Principal } from '../api/auth';
import { CaseClient } from '../api/case-client';
import { temporalHealth } from '../api/health';
import { listen } from '../api/listen';
import type { Actor, Policy } from '../domain';
import { VILLAGE_IDS } from '../domain/villages';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { freePort, startDevServer } from '../infra/dev-server';
import { serverSlotAliases, visibilityIndexNames, withSlotAttributes, type TrimOutcome } from '../infra/visibility-indexes';
import { generateSecrets, toSecrets } from '../infra/secrets';
import { caseEngineClient, connectionOptions, registerSearchAttributes } from '../infra/temporal';
import { workerTuning } from '../worker/worker';
import { JsonClient } from './http-json';
import { apiPath, rawPath, type CasePath } from './paths';
import type { Processes } from './process-usage';
import { startWorkerChild, type WorkerChild } from './worker-child';

export interface EnvironmentOptions {
  /** Policy of every case registered through the API and the raw path. */
  policy: Policy;
  clients: number;
  /** Worker cache size; undefined keeps WORKER_MAX_CACHED_WORKFLOWS (default 10000). */
  cache?: number;
}

export interface BenchEnvironment {
  address: string;
  /** Set when the bench started its own server: its pid, SQLite file and database calls are measured. */
  server?: {
    pid: number; dbFile: string; metricsUrl: string;
    /** What the start did to the visibility table, and the indexes it has now (its primary key's aside, slots with their attributes). */
    visibilityIndexes?: TrimOutcome; visibilityIndexNames?: string[];
  };
  worker: WorkerChild;
  /** How the bench's API reuses costly counts (API_COUNT_REUSE_SECONDS, as `npm start` reads it). */
  countReuse: CostlyAnswerOptions;
  /** What CPU and memory are measured of: worker, server (when started here), bench (API + load). */
  processes: Processes;
  cases: CaseClient;
  actor: Actor;
  api: CasePath;
  raw: CasePath;
  stop(): Promise<void>;
}

const CASEWORKER: Principal = { sub: 'bench-grid-01', role: 'caseworker', villages: [...VILLAGE_IDS] };
const SUPERVISOR: Principal = { sub: 'bench-supervisor', role: 'supervisor', villages: [] };

/** The app's settings, with `--cache` in place of WORKER_MAX_CACHED_WORKFLOWS and checked like it. */
export function benchConfig(cache?: number, env: NodeJS.ProcessEnv = process.env) {
  if (cache === undefined) return loadConfig(env);
  try {
    return loadConfig({ ...env, WORKER_MAX_CACHED_WORKFLOWS: String(cache) });
  } catch (error) {
    throw new Error(`--cache ${cache} stands for WORKER_MAX_CACHED_WORKFLOWS: ${(error as Error).message}`);
  }
}

/** The visibility table's indexes for the run's notes, or undefined when they cannot be read. */
async function describeVisibilityIndexes(dbFile: string, address: string): Promise<string[] | undefined> {
  const names = await visibilityIndexNames(dbFile);
  return names && withSlotAttributes(names, await serverSlotAliases(address));
}

export async function startEnvironment(options: EnvironmentOptions): Promise<BenchEnvironment> {
  const config = benchConfig(options.cache);
  const stored = generateSecrets();
  const secrets = toSecrets(stored);
  const namespace = config.temporal.namespace;
  // Undone in reverse order by stop(), also when starting fails half-way.
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
    cleanups.length = 0;
  };

  try {
    const tempDir = mkdtempSync(join(tmpdir(), 'sanfan-bench-'));
    // Also when this process ends without stop() (Ctrl-C, a crash): a long run's database is gigabytes.
    const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
    process.once('exit', removeTempDir);
    cleanups.push(() => {
      process.off('exit', removeTempDir);
      removeTempDir();
    });

    let address = config.temporal.address;
    let server: BenchEnvironment['server'];
    if (!address) {
      const dbFile = join(tempDir, 'bench.db');
      const metricsPort = await freePort();
      const devServer = await startDevServer({ dbFile, ui: false, namespace, metricsPort });
      cleanups.push(() => devServer.stop());
      address = devServer.address;
      server = {
        pid: devServer.process.pid!, dbFile, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
        visibilityIndexes: devServer.visibilityIndexes,
        visibilityIndexNames: await describeVisibilityIndexes(dbFile, devServer.address),
      };
    }
    const settings = { ...config.temporal, address };
    const connection = await Connection.connect(connectionOptions(settings));
    cleanups.push(() => connection.close());
    if (!server) await registerSearchAttributes(connection, namespace);

    // A task queue of its own: on a shared cluster no other worker takes the bench's cases.
    const taskQueue = `sanfan-bench-${randomUUID().slice(0, 8)}`;
    const worker = await startWorkerChild({
      address, namespace, taskQueue,
      encryptionKeys: stored.encryptionKeys,
      passPrivateKeyPem: secrets.passPrivateKeyPem,
      tuning: workerTuning(config.worker),
      metricsAddress: `127.0.0.1:${await freePort()}`,
    });
    cleanups.push(() => worker.stop());

    const client = caseEngineClient(connection, namespace, secrets);
    const cases = new CaseClient({ client, taskQueue, caseIdKey: secrets.caseIdKey });
    const countReuse = { reuseMs: config.api.countReuseSeconds * 1000, minCostMs: COSTLY_COUNT_MS };
    const app = createApp({
      cases, policy: options.policy, tokenSecret: secrets.tokenSecret,
      passPublicKeyPem: publicKeyPemFrom(secrets.passPrivateKeyPem),
      // Request logs are written (to /dev/null), redacted as the API's are: logging is part of what a request costs.
      logger: createLogger('info', 'api', pino.destination('/dev/null')),
      health: temporalHealth(connection, address, namespace),
      countReuse,
    });
    const http = await listen(app, 0, '127.0.0.1');
    cleanups.push(() => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }));
    const apiUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;

    const bearer = (principal: Principal) => ({ Authorization: `Bearer ${mintToken(secrets.tokenSecret, principal)}` });
    const caseworker = new JsonClient(apiUrl, bearer(CASEWORKER), options.clients);
    const supervisor = new JsonClient(apiUrl, bearer(SUPERVISOR), 4);
    cleanups.push(() => {
      caseworker.close();
      supervisor.close();
    });
    // As the API's caseworker: the update validators check the same villages on both paths.
    const actor: Actor = { role: CASEWORKER.role, id: CASEWORKER.sub, villages: CASEWORKER.villages };

    const processes: Processes = { worker: worker.pid, ...(server ? { server: server.pid } : {}), bench: process.pid };
    return {
      address, server, worker, countReuse, processes, cases, actor,
      api: apiPath(caseworker, supervisor),
      raw: rawPath(cases, options.policy, actor),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
