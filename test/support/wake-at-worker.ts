// A worker for the wake-at fixture workflow on its own task queue, with a client: for tests that
// need many plain timers on the dev server rather than cases.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

/** Starts wake-at workflows: all due at `at` (epoch ms). */
export type StartWakeAt = (at: number) => ReturnType<Client['workflow']['start']>;

/** Runs `work` while a wake-at worker polls; everything is closed afterwards. */
export async function withWakeAtWorker<T>(
  address: string,
  tuning: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions'>,
  work: (startWakeAt: StartWakeAt) => Promise<T>,
): Promise<T> {
  const taskQueue = `wake-at-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const worker = await Worker.create({
      connection: nativeConnection, taskQueue, ...tuning,
      workflowsPath: fileURLToPath(new URL('./wake-at-workflow.ts', import.meta.url)),
    });
    const client = new Client({ connection });
    const startWakeAt: StartWakeAt = (at) =>
      client.workflow.start('wakeAt', { taskQueue, workflowId: `wake-at-${randomUUID()}`, args: [at] });
    return await worker.runUntil(() => work(startWakeAt));
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}
