// Wiring only: a Temporal worker for the case task queue, with the encrypting data converter,
// the workflow bundle (or source path) and the activities it is given.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { CaseActivities } from '../activities/types';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  activities: CaseActivities;
  /** A prebuilt bundle (tests and benches bundle once); default: bundle from source at start. */
  workflowBundle?: WorkflowBundle;
  maxCachedWorkflows?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
}

const ACTIVITY_NAMES = ['notify', 'recheckHealthCode', 'assignFacility', 'signGreenPass'] as const satisfies readonly (keyof CaseActivities)[];

export function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  const { workflowBundle, activities, ...rest } = options;
  return Worker.create({
    ...rest,
    // Bound by name, so that an implementation may be a class instance as well as a plain object.
    activities: Object.fromEntries(ACTIVITY_NAMES.map((name) => [name, activities[name].bind(activities)])),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
  });
}
