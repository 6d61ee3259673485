// A case worker configured from the environment: used by `npm run worker` and `npm start`.
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createPolicyRollout } from '../activities/policy-rollout';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { loadSecrets } from '../infra/secrets';
import { caseEngineClient, connectionOptions, dataConverter } from '../infra/temporal';
import { temporalAddress } from '../infra/embedded';
import { createCaseWorker, workerTuning } from './worker';

/**
 * `onFailure`: what to do when the worker fails (say, its workflow thread stuck in a loop); by
 * default exit, for the process supervisor to restart it rather than leave it half-alive.
 */
export async function runWorker(onFailure: (error: unknown) => void = () => process.exit(1)): Promise<{ stop(): Promise<void> }> {
  const config = loadConfig();
  const secrets = loadSecrets(config.dataDir);
  const logger = createLogger(config.logLevel, 'worker');
  // The SDK's own chatter (bundle statistics, state changes) only at debug level.
  Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN') });
  const address = temporalAddress(config);
  const connection = await NativeConnection.connect(connectionOptions({ ...config.temporal, address }));
  // The policy rollout's activity talks to the cases as the API does, through a client of its own.
  const clientConnection = await Connection.connect(connectionOptions({ ...config.temporal, address }));
  const worker = await createCaseWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataConverter: dataConverter(secrets),
    activities: createActivities({
      logger, notifyWebhookUrl: config.notifyWebhookUrl, healthCodeUrl: config.healthCodeUrl,
      passPrivateKeyPem: secrets.passPrivateKeyPem,
    }),
    rollout: createPolicyRollout({ client: caseEngineClient(clientConnection, config.temporal.namespace, secrets) }),
    ...workerTuning(config.worker),
  });
  const running = worker.run();
  running.catch((error: unknown) => {
    logger.fatal({ err: error }, 'worker failed');
    onFailure(error);
  });
  logger.info({ address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue }, 'worker polling');
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}
