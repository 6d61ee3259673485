// The API wired to a real worker on the real dev server started by global-setup: what a
// caseworker's HTTP request meets in production, on free ports and a task queue of its own.
import { publicKeyPemFrom } from '../../activities/green-pass';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { inject } from 'vitest';
import { createApp } from '../../api/app';
import { mintToken, type Principal } from '../../api/auth';
import { CaseClient } from '../../api/case-client';
import { temporalHealth } from '../../api/health';
import { policyByVersion } from '../../domain/policy';
import { dataConverter } from '../../infra/temporal';
import { createCaseWorker } from '../../worker/worker';
import { testSecrets } from './keys';
import { RecordingActivities, workflowBundle } from './time-skipping';

export async function startApiHarness() {
  const address = inject('devServerAddress');
  const converter = dataConverter(testSecrets);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default', dataConverter: converter });
  const taskQueue = `api-${randomUUID()}`;
  const activities = new RecordingActivities();
  const worker = await createCaseWorker({
    connection: nativeConnection, namespace: 'default', taskQueue, dataConverter: converter, activities,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const cases = new CaseClient({ client, taskQueue, caseIdKey: testSecrets.caseIdKey });
  const app = createApp({
    cases, policy: policyByVersion('2026.1'), tokenSecret: testSecrets.tokenSecret,
    passPublicKeyPem: publicKeyPemFrom(testSecrets.passPrivateKeyPem),
    logger: pino({ level: 'silent' }), health: temporalHealth(connection, address, 'default'),
  });
  const token = (principal: Principal) => `Bearer ${mintToken(testSecrets.tokenSecret, principal)}`;
  return {
    app, client, cases, activities, taskQueue, token,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}
