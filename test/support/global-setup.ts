// Once per `npm test`: find or fetch the Temporal binaries, and start one dev server (in memory,
// on free ports) for the tests that need visibility. Stopped at the end: nothing is left running.
import type { TestProject } from 'vitest/node';
import { temporalCliPath, testServerPath } from '../../infra/binaries';
import { freePort, startDevServer, type DevServer } from '../../infra/dev-server';

let devServer: DevServer | undefined;

export default async function setup(project: TestProject) {
  const started = Date.now();
  const cli = temporalCliPath();
  const testServer = testServerPath();
  const metricsPort = await freePort();
  devServer = await startDevServer({ ui: false, metricsPort });
  process.stderr.write(`[sanfan] Temporal binaries ready and dev server on ${devServer.address} in ${Date.now() - started} ms\n`);
  project.provide('temporalCliPath', cli);
  project.provide('testServerPath', testServer);
  project.provide('devServerAddress', devServer.address);
  project.provide('devServerMetricsUrl', `http://127.0.0.1:${metricsPort}/metrics`);
  project.provide('devServerPid', devServer.process.pid!);
  return async () => {
    await devServer?.stop();
  };
}
