// A case worker and a CaseClient, with the encrypting data converter, on any Temporal server:
// for tests that bring a server of their own (api-harness.ts uses the shared one).
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { CaseClient } from '../../api/case-client';
import { caseEngineClient, dataConverter } from '../../infra/temporal';
import { createCaseWorker } from '../../worker/worker';
import { testSecrets } from './keys';
import { RecordingActivities, workflowBundle } from './time-skipping';

export async function startCaseWorker(address: string, namespace = 'default', options: { workflowStackTraces?: boolean } = {}) {
  const converter = dataConverter(testSecrets);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = caseEngineClient(connection, namespace, testSecrets);
  const taskQueue = `cases-${randomUUID()}`;
  const activities = new RecordingActivities();
  const worker = await createCaseWorker({
    connection: nativeConnection, namespace, taskQueue, dataConverter: converter, activities,
    workflowBundle: await workflowBundle(), ...options,
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
