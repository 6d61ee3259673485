// `npm start`: everything on one machine. Starts the embedded Temporal dev server (unless
// TEMPORAL_ADDRESS points at a cluster), then the worker and the API, and stops all on Ctrl-C.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { mintToken } from '../api/auth';
import { runApi } from '../api/run';
import { runWorker } from '../worker/run';
import { MissingToolError } from './binaries';
import { EncryptionCodec } from './codec';
import { createCodecServer } from './codec-server';
import { loadConfig } from './config';
import { startDevServer, type DevServer } from './dev-server';
import { temporalAddress } from './embedded';
import { loadSecrets } from './secrets';
import { onStopSignals } from './stop-signals';
import { connectionOptions, registerSearchAttributes, setRetention } from './temporal';

const say = (line: string) => process.stdout.write(`[sanfan] ${line}\n`);
const DEV_SUPERVISOR_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

async function main() {
  const config = loadConfig();
  const secrets = loadSecrets(config.dataDir);
  let devServer: DevServer | undefined;
  const codecUrl = `http://${config.devServer.ip}:${config.codec.port}`;
  // Until everything is up, Ctrl-C just exits: the dev server is stopped with this process.
  const exitWhileStarting = () => process.exit(130);
  process.once('SIGINT', exitWhileStarting);
  process.once('SIGTERM', exitWhileStarting);

  if (!config.temporal.address) {
    const dbFile = join(config.dataDir, 'temporal.db');
    say(`starting the embedded Temporal dev server (SQLite: ${dbFile})…`);
    devServer = await startDevServer({
      dbFile, ip: config.devServer.ip, port: config.devServer.port, uiPort: config.devServer.uiPort,
      namespace: config.temporal.namespace, uiCodecEndpoint: codecUrl,
    });
    if (devServer.visibilityIndexes !== 'trimmed') say(`visibility table ${devServer.visibilityIndexes}: deadline bursts run slower (infra/visibility-indexes.ts)`);
    // Closed cases must stay readable (a returnee may come back); the dev server keeps them a day.
    const connection = await Connection.connect({ address: devServer.address });
    await setRetention(connection, config.temporal.namespace, config.devServer.retentionDays);
    await connection.close();
  } else {
    // A cluster: make sure our search attributes exist (needs operator rights; say so if refused).
    const connection = await Connection.connect(connectionOptions({ ...config.temporal, address: config.temporal.address }));
    await registerSearchAttributes(connection, config.temporal.namespace)
      .catch((error) => say(`could not register search attributes (${error.message}); ask the cluster operator to add them`));
    await connection.close();
  }

  // Loopback only: it decrypts for whoever can reach it.
  const codecServer = createCodecServer({
    codec: new EncryptionCodec(secrets.encryptionKeys),
    corsOrigin: devServer?.uiUrl ?? `http://${config.devServer.ip}:${config.devServer.uiPort}`,
    authToken: config.codec.authToken,
  }).listen(config.codec.port, config.devServer.ip);
  // What runs, stopped on Ctrl-C, or when the worker fails (then with exit code 1, the dev
  // server included: nothing is left behind for a supervisor's restart to trip over).
  let worker: Awaited<ReturnType<typeof runWorker>> | undefined;
  let api: Awaited<ReturnType<typeof runApi>> | undefined;
  let stopping = false;
  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping the API, the worker and the dev server…`);
    await api?.stop().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await new Promise<void>((resolve) => codecServer.close(() => resolve()));
    await devServer?.stop();
    say('stopped');
    process.exit(exitCode);
  };
  worker = await runWorker(() => void stop('the worker failed', 1));
  api = await runApi();

  // A development supervisor's token, minted anew at each start and valid for a week: one that
  // leaks from the data folder is not good for ever.
  const tokenFile = join(config.dataDir, 'supervisor-token.txt');
  const firstRun = !existsSync(tokenFile);
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(tokenFile, mintToken(secrets.tokenSecret, { sub: 'supervisor-dev', role: 'supervisor', villages: [] }, DEV_SUPERVISOR_TOKEN_TTL_SECONDS), { mode: 0o600 });
  say(`Temporal:   ${temporalAddress(config)} (namespace ${config.temporal.namespace})${devServer ? ' — embedded dev server' : ''}`);
  if (devServer?.uiUrl) say(`Web UI:     ${devServer.uiUrl}  (payloads decrypted through ${codecUrl})`);
  else say(`codec:      ${codecUrl}  (for a Web UI or CLI: --codec-endpoint ${codecUrl})`);
  say(`API:        ${api.url}  (health: ${api.url}/healthz)`);
  say(`worker:     polling task queue ${config.temporal.taskQueue}`);
  say(firstRun
    ? `supervisor token (saved in ${tokenFile}):\n${readFileSync(tokenFile, 'utf8')}`
    : `supervisor token (renewed, valid 7 days): see ${tokenFile}; mint others with npm run token -- --role caseworker --village dafenshanyan`);
  say('press Ctrl-C to stop');

  process.off('SIGINT', exitWhileStarting);
  process.off('SIGTERM', exitWhileStarting);
  onStopSignals({ stop, say });
}

main().catch((error) => {
  if (error instanceof MissingToolError) console.error(`[sanfan] ${error.message}`);
  else console.error('[sanfan] could not start:', error);
  process.exit(1);
});
