// Every setting sanfan reads from the environment, with its default, in one place.
// The README's configuration table mirrors this file.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface TemporalSettings {
  /** host:port of a Temporal cluster; undefined means "start the embedded dev server". */
  address?: string;
  namespace: string;
  taskQueue: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  apiKey?: string;
}

export interface Config {
  root: string;
  dataDir: string;
  temporal: TemporalSettings;
  devServer: { port: number; uiPort: number; ip: string; retentionDays: number };
  /** `countReuseSeconds`: how long the API reuses a costly list total or stats (0: never). */
  api: { port: number; countReuseSeconds: number };
  /** The codec endpoint that lets the Web UI and CLI show decrypted payloads (loopback only). */
  codec: { port: number; authToken?: string };
  logLevel: string;
  worker: {
    maxCachedWorkflows: number;
    maxConcurrentActivities: number;
    maxConcurrentWorkflowTasks: number;
    maxConcurrentWorkflowTaskPolls: number;
    /** Threads that run workflow code (each holds its share of the cache). */
    workflowThreads: number;
    stickyQueueTimeoutSeconds: number;
    /** Where each workflow waits, for the Temporal UI's stack-trace query; costs memory and CPU. */
    workflowStackTraces: boolean;
  };
  notifyWebhookUrl?: string;
  healthCodeUrl?: string;
  policyVersion?: string;
}

/** How long the API reuses a costly count unless API_COUNT_REUSE_SECONDS says otherwise. */
export const DEFAULT_COUNT_REUSE_SECONDS = 10;

function onOff(name: string, fallback: boolean, env: NodeJS.ProcessEnv): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be "on" or "off", got "${raw}"`);
  return raw === 'on';
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv, least: 0 | 1 = 0, most = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < least || value > most) {
    const range = most < Number.MAX_SAFE_INTEGER ? ` from ${least} to ${most}` : '';
    throw new Error(`${name} must be a ${least ? 'positive' : 'non-negative'} integer${range}, got "${raw}"`);
  }
  return value;
}

const port = (name: string, fallback: number, env: NodeJS.ProcessEnv) => int(name, fallback, env, 1, 65_535);

/**
 * The worker's counts that the SDK would otherwise quietly change (a cache of 1 becomes 2, more
 * task slots than cached cases become fewer) or refuse only once the worker starts.
 */
function checkWorkerLimits(worker: Config['worker']): Config['worker'] {
  const { maxCachedWorkflows: cache, maxConcurrentWorkflowTasks: tasks, maxConcurrentWorkflowTaskPolls: polls } = worker;
  const problems: string[] = [];
  if (cache === 1) problems.push('WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or at least 2, got "1"');
  if (cache > 0 && tasks < 2) problems.push(`WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must be at least 2 with a workflow cache, got "${tasks}"`);
  if (cache > 0 && polls < 2) problems.push(`WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS must be at least 2 with a workflow cache (half of them poll the worker's own queue), got "${polls}"`);
  if (cache > 1 && tasks > cache) problems.push(`WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${tasks}) must not exceed WORKER_MAX_CACHED_WORKFLOWS (${cache})`);
  if (problems.length) throw new Error(problems.join('; '));
  return worker;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tlsWanted = env.TEMPORAL_TLS === 'true' || env.TEMPORAL_TLS_CERT_PATH || env.TEMPORAL_TLS_CA_PATH;
  return {
    root,
    dataDir: resolve(env.SANFAN_DATA_DIR || resolve(root, 'data')),
    temporal: {
      address: env.TEMPORAL_ADDRESS || undefined,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE || 'sanfan-cases',
      tls: tlsWanted
        ? {
            certPath: env.TEMPORAL_TLS_CERT_PATH,
            keyPath: env.TEMPORAL_TLS_KEY_PATH,
            caPath: env.TEMPORAL_TLS_CA_PATH,
            serverName: env.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: env.TEMPORAL_API_KEY || undefined,
    },
    devServer: {
      port: port('TEMPORAL_DEV_PORT', 7233, env),
      uiPort: port('TEMPORAL_UI_PORT', 8233, env),
      ip: env.TEMPORAL_DEV_IP || '127.0.0.1',
      retentionDays: int('SANFAN_RETENTION_DAYS', 365, env, 1),
    },
    api: { port: port('PORT', 3000, env), countReuseSeconds: int('API_COUNT_REUSE_SECONDS', DEFAULT_COUNT_REUSE_SECONDS, env, 0, 3600) },
    codec: { port: port('CODEC_PORT', 8234, env), authToken: env.SANFAN_CODEC_TOKEN || undefined },
    logLevel: env.LOG_LEVEL || 'info',
    worker: checkWorkerLimits({
      // Tuned with `npm run bench` (bench/README.md): a 10,000-case deadline burst fits in the cache.
      maxCachedWorkflows: int('WORKER_MAX_CACHED_WORKFLOWS', 10_000, env),
      maxConcurrentActivities: int('WORKER_MAX_CONCURRENT_ACTIVITIES', 100, env, 1),
      maxConcurrentWorkflowTasks: int('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 40, env, 1),
      maxConcurrentWorkflowTaskPolls: int('WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS', 20, env, 1),
      workflowThreads: int('WORKER_WORKFLOW_THREADS', 1, env, 1),
      // How long a case's task waits for the worker that holds the case before the shared queue
      // takes it (and replays it). Longer than a deadline's backlog: a 10,000-case burst waited
      // up to ~55 s on one machine and ~90–110 s on a slower one (bench/history.md, session 18),
      // and each task that waits longer is done twice over (at 60 s there, 36–43 % of them).
      // Also how long a crashed worker's queued tasks wait (the server sends new ones to the
      // shared queue once the worker has not polled for 10 s): a check-in there waits up to this.
      stickyQueueTimeoutSeconds: int('WORKER_STICKY_QUEUE_TIMEOUT_SECONDS', 120, env, 1),
      workflowStackTraces: onOff('WORKER_WORKFLOW_STACK_TRACES', false, env),
    }),
    notifyWebhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
    healthCodeUrl: env.HEALTH_CODE_URL || undefined,
    policyVersion: env.SANFAN_POLICY_VERSION || undefined,
  };
}
