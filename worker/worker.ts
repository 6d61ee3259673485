// Wiring only: a Temporal worker for the case task queue (the cases and the policy rollouts), with
// the encrypting data converter, the workflow bundle (or source path) and the activities it is given.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { CaseActivities, RolloutActivities } from '../activities/types';
import type { Config } from '../infra/config';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** How much the worker holds and runs at once; measured with `npm run bench` (bench/README.md). */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentWorkflowTaskPolls: number;
  /** Threads running workflow code; the SDK's default with a reused V8 context is 1. */
  workflowThreadPoolSize: number;
  /**
   * How long a task waits for the worker that has its case cached before any worker may take it.
   * Longer than the SDK's 10 s so that a deadline burst drains from the cache instead of timing
   * out onto the shared queue (a full replay each); a crashed worker's in-flight cases wait this long.
   */
  stickyQueueTimeoutSeconds: number;
  /**
   * Record where each case's workflow waits, for the stack-trace query (the Temporal UI's "Stack
   * Trace" tab). Off by default: it keeps a source-mapped stack trace for every pending promise of
   * every cached case (patches/@temporalio+worker*.patch, bench/history.md for what it costs).
   */
  workflowStackTraces: boolean;
}

export function workerTuning(worker: Config['worker']): WorkerTuning {
  return {
    maxCachedWorkflows: worker.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: worker.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: worker.maxConcurrentWorkflowTasks,
    maxConcurrentWorkflowTaskPolls: worker.maxConcurrentWorkflowTaskPolls,
    workflowThreadPoolSize: worker.workflowThreads,
    stickyQueueTimeoutSeconds: worker.stickyQueueTimeoutSeconds,
    workflowStackTraces: worker.workflowStackTraces,
  };
}

export interface CaseWorkerOptions extends Partial<WorkerTuning> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  activities: CaseActivities;
  /** The policy rollout's activity (it needs a client of its own); without it, a rollout's pages fail here and are retried. */
  rollout?: RolloutActivities;
  /** A prebuilt bundle (tests and benches bundle once); default: bundle from source at start. */
  workflowBundle?: WorkflowBundle;
}

const ACTIVITY_NAMES = ['notify', 'recheckHealthCode', 'assignFacility', 'signGreenPass'] as const satisfies readonly (keyof CaseActivities)[];

export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  const { workflowBundle, activities, rollout, stickyQueueTimeoutSeconds, workflowStackTraces, ...rest } = options;
  // Read by the patched SDK in the workflow thread that Worker.create starts (a copy of this env).
  process.env.TEMPORAL_WORKFLOW_STACK_TRACES = workflowStackTraces ? 'on' : 'off';
  return Worker.create({
    ...rest,
    ...(stickyQueueTimeoutSeconds ? { stickyQueueScheduleToStartTimeout: stickyQueueTimeoutSeconds * 1000 } : {}),
    // Tasks of cases not in this worker's cache (new registrations, evicted cases, sticky
    // timeouts) come on the shared queue; the SDK's default ratio gives it 2 of 10 pollers.
    nonStickyToStickyPollRatio: 0.5,
    // Bound by name, so that an implementation may be a class instance as well as a plain object.
    activities: {
      ...Object.fromEntries(ACTIVITY_NAMES.map((name) => [name, activities[name].bind(activities)])),
      ...(rollout ? { adoptPolicyOnPage: rollout.adoptPolicyOnPage.bind(rollout) } : {}),
    },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
  });
}
