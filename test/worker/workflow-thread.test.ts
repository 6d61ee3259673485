// The SDK patch (patches/@temporalio+worker+*.patch), applied on every install: the workflow
// thread records no promise stack traces unless asked, and runs workflow code without Node's
// per-call watchdog thread; a workflow that never yields is still caught, by one timer per thread.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { bundleQuietly } from '../support/bundle';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';

const address = inject('devServerAddress');
const actor: Actor = { role: 'caseworker', id: 'cw-runtime-test' };
// The failing worker's error is asserted below; the SDK's log of it would only be noise.
Runtime.install({ logger: new DefaultLogger('ERROR', () => undefined) });

/** Registers a home-isolation case and asks its workflow where it is waiting. */
async function stackTraceOfNewCase(workflowStackTraces?: boolean): Promise<string> {
  const worker = await startCaseWorker(address, 'default', { workflowStackTraces });
  try {
    const registered = await worker.cases.register(makeIntake(), policyByVersion('2026.1'), actor);
    return await worker.cases.handle(registered.case.caseId).query<string>('__stack_trace');
  } finally {
    await worker.stop();
  }
}

describe('stack traces of waiting cases', () => {
  it('are not recorded by default: the query says so instead of answering', async () => {
    await expect(stackTraceOfNewCase()).rejects.toThrow(/stack traces are not enabled/);
  });

  it('are recorded when the worker is asked to (WORKER_WORKFLOW_STACK_TRACES=on)', async () => {
    const trace = await stackTraceOfNewCase(true);
    // Source-mapped to the case's own code: the main loop waiting for the next deadline.
    expect(trace).toMatch(/waitUntil/);
    expect(trace).toMatch(/returnee-case\.ts/);
  });
});

describe('a workflow that never yields', () => {
  let nativeConnection: NativeConnection;
  let connection: Connection;

  beforeAll(async () => {
    nativeConnection = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
  });
  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  });

  // The SDK's default isolateExecutionTimeout (5 s, not settable through WorkerOptions' type).
  it('stops the worker with an error naming the run, instead of freezing it', async () => {
    const taskQueue = `spin-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection, taskQueue,
      workflowBundle: await bundleQuietly(fileURLToPath(new URL('./spinning-workflow.ts', import.meta.url))),
    });
    const running = worker.run();
    const handle = await new Client({ connection }).workflow.start('spinForever', { taskQueue, workflowId: `spin-${randomUUID()}` });
    try {
      const stopped = await running.then(() => 'shut down cleanly', (error: Error) => error.message);
      expect(stopped).toMatch(/answered nothing for \d+ ms/);
      expect(stopped).toContain(handle.firstExecutionRunId);
    } finally {
      await handle.terminate().catch(() => undefined);
    }
  });
});
