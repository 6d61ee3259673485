// The API configured from the environment: used by `npm run api` and `npm start`.
import { publicKeyPemFrom } from '../activities/green-pass';
import { Connection } from '@temporalio/client';
import { policyByVersion } from '../domain/policy';
import { loadConfig } from '../infra/config';
import { temporalAddress } from '../infra/embedded';
import { createLogger } from '../infra/logger';
import { loadSecrets } from '../infra/secrets';
import { caseEngineClient, connectionOptions } from '../infra/temporal';
import { createApp } from './app';
import { CaseClient } from './case-client';
import { listen } from './listen';
import { temporalHealth } from './health';

export async function runApi(): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadConfig();
  const secrets = loadSecrets(config.dataDir);
  const logger = createLogger(config.logLevel, 'api');
  const address = temporalAddress(config);
  // Lazy: the API starts (and /healthz says why it is degraded) even while Temporal is down.
  const connection = Connection.lazy(connectionOptions({ ...config.temporal, address }));
  const client = caseEngineClient(connection, config.temporal.namespace, secrets);
  const app = createApp({
    cases: new CaseClient({ client, taskQueue: config.temporal.taskQueue, caseIdKey: secrets.caseIdKey }),
    policy: policyByVersion(config.policyVersion),
    tokenSecret: secrets.tokenSecret,
    passPublicKeyPem: publicKeyPemFrom(secrets.passPrivateKeyPem),
    logger,
    health: temporalHealth(connection, address, config.temporal.namespace),
    countReuse: { reuseMs: config.api.countReuseSeconds * 1000 },
  });
  const server = await listen(app, config.api.port);
  const url = `http://localhost:${(server.address() as { port: number }).port}`;
  logger.info({ url, temporal: address, namespace: config.temporal.namespace }, 'API listening');
  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await connection.close();
    },
  };
}
