// The bench's case worker, in a process of its own so that its memory and CPU are measured apart
// from the API and the load. The real worker wiring and activities; notifications are logged to
// /dev/null (the log line is part of their cost) and counted, so the bench sees escalations land.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import type { CaseActivities } from '../activities/types';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { parseEncryptionKeys } from '../infra/secrets';
import { connectionOptions, dataConverter } from '../infra/temporal';
import { createCaseWorker } from '../worker/worker';
import type { FromWorker, ToWorker, WorkerSettings } from './worker-protocol';

const send = (message: FromWorker) => process.send?.(message);

/** The real activities, with notify counting what it delivered. */
function countingActivities(settings: WorkerSettings, notified: Record<string, number>): CaseActivities {
  const real = createActivities({
    logger: createLogger('info', 'worker', pino.destination('/dev/null')),
    passPrivateKeyPem: settings.passPrivateKeyPem,
  });
  return {
    ...real,
    async notify(notification) {
      const receipt = await real.notify(notification);
      notified[notification.kind] = (notified[notification.kind] ?? 0) + 1;
      return receipt;
    },
  };
}

async function start(settings: WorkerSettings): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: settings.metricsAddress } } },
  });
  // TLS and API-key settings come from the same environment as the app's own worker.
  const connection = await NativeConnection.connect(connectionOptions({ ...loadConfig().temporal, address: settings.address }));
  const notified: Record<string, number> = {};
  const worker = await createCaseWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    dataConverter: dataConverter({ encryptionKeys: parseEncryptionKeys(settings.encryptionKeys) }),
    activities: countingActivities(settings, notified),
    ...settings.tuning,
  });
  const running = worker.run();
  process.on('message', (message: ToWorker) => {
    if (message.type === 'counts') send({ type: 'counts', notified: { ...notified } });
    if (message.type === 'stop') {
      // A Ctrl-C to the process group has already set the worker draining (the SDK's own signal handling).
      if (worker.getState() === 'RUNNING') worker.shutdown();
      void running.finally(() => connection.close()).finally(() => process.exit(0));
    }
  });
  send({ type: 'ready' });
}

// Orphaned (the bench died): leave rather than poll forever.
process.on('disconnect', () => process.exit(1));
process.once('message', (message: ToWorker) => {
  if (message.type !== 'start') return;
  start(message.settings).catch((error: unknown) => {
    send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
