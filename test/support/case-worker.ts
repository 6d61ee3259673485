// A case worker and a CaseClient, with the encrypting data converter, on any Temporal server:
// for tests that bring a server of their own (api-harness.ts uses the shared one).
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createPolicyRollout, type PolicyRolloutOptions } from '../../activities/policy-rollout';
import { CaseClient } from '../../api/case-client';
import { caseEngineClient, dataConverter } from '../../infra/temporal';
import { createCaseWorker } from '../../worker/worker';
import { testSecrets } from './keys';
import { RecordingActivities, workflowBundle } from './time-skipping';

export interface CaseWorkerTestOptions {
  workflowStackTraces?: boolean;
  /** The policy rollout's page size, concurrency, per-case deadline (default here 2 s: a stopped worker's cases fail fast). */
  rollout?: Omit<PolicyRolloutOptions, 'client'>;
  /** A task queue of the caller's (default: a new one). */
  taskQueue?: string;
}

export async function startCaseWorker(address: string, namespace = 'default', options: CaseWorkerTestOptions = {}) {
  const { rollout, taskQueue = `cases-${randomUUID()}`, ...tuning } = options;
  const converter = dataConverter(testSecrets);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = caseEngineClient(connection, namespace, testSecrets);
  const activities = new RecordingActivities();
  const worker = await createCaseWorker({
    connection: nativeConnection, namespace, taskQueue, dataConverter: converter, activities,
    rollout: createPolicyRollout({ client, perCaseDeadlineMs: 2000, ...rollout }),
    workflowBundle: await workflowBundle(), ...tuning,
  });
  const running = worker.run();
  const cases = new CaseClient({ client, taskQueue, caseIdKey: testSecrets.caseIdKey });
  return {
    client, connection, cases, activities, taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}
