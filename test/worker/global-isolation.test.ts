// Cached cases share one V8 context (the SDK's reusable VM), whose scope switch swaps each case's
// globals in and out. The SDK patch edits that file (reusable-vm.js), and a faster switch was tried
// (bench/history.md, session 21): each case must still see only its own globals, after any change.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleQuietly } from '../support/bundle';
import { changeGlobal, readGlobal, type GlobalChange } from './global-keeping-workflow';

const address = inject('devServerAddress');
Runtime.install({ logger: new DefaultLogger('WARN') });

describe('globals of cached cases in the shared workflow context', () => {
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const taskQueue = `globals-${randomUUID()}`;
  const started: WorkflowHandle[] = [];

  beforeAll(async () => {
    nativeConnection = await NativeConnection.connect({ address });
    connection = await Connection.connect({ address });
    client = new Client({ connection });
    worker = await Worker.create({
      connection: nativeConnection, taskQueue,
      workflowBundle: await bundleQuietly(fileURLToPath(new URL('./global-keeping-workflow.ts', import.meta.url))),
    });
    running = worker.run();
  });
  afterAll(async () => {
    await Promise.all(started.map((handle) => handle.terminate().catch(() => undefined)));
    worker?.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
  });

  const startCase = async () => {
    const handle = await client.workflow.start('keepsAGlobal', { taskQueue, workflowId: `globals-${randomUUID()}` });
    started.push(handle);
    return handle;
  };
  const change = (handle: WorkflowHandle, to: GlobalChange) => handle.executeUpdate(changeGlobal, { args: [to] });
  const read = (handle: WorkflowHandle) => handle.query(readGlobal);

  it('each case sees its own, through every kind of change, and a new case none', async () => {
    const [a, b] = [await startCase(), await startCase()];

    await change(a, { set: 'a1' });
    expect(await read(b)).toBeNull();
    expect(await read(a)).toBe('a1');

    await change(b, { set: 'b1' });
    expect(await read(a)).toBe('a1');
    expect(await read(b)).toBe('b1');

    // Changed again after its globals were last saved: the new value is what it gets back.
    await change(a, { set: 'a2' });
    expect(await read(b)).toBe('b1');
    expect(await read(a)).toBe('a2');

    // The same global as an accessor instead of a value.
    await change(a, { getter: 'a3' });
    expect(await read(b)).toBe('b1');
    expect(await read(a)).toBe('a3');

    await change(a, { remove: true });
    expect(await read(b)).toBe('b1');
    expect(await read(a)).toBeNull();

    const c = await startCase();
    expect(await read(c)).toBeNull();
    expect(await read(b)).toBe('b1');
    expect(await read(a)).toBeNull();
  });
});
