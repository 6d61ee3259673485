// Nothing lost: real processes on a real server. The worker is killed with SIGKILL in the middle
// of a home isolation and the Temporal dev server is restarted on its SQLite file; every case,
// check-in and deadline is still there afterwards, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseClient } from '../../api/case-client';
import { policyByVersion } from '../../domain/policy';
import { localDateOf } from '../../domain/time';
import { freePort, startDevServer, type DevServer } from '../../infra/dev-server';
import { mintToken } from '../../api/auth';
import { generateSecrets, loadSecrets } from '../../infra/secrets';
import { dataConverter } from '../../infra/temporal';
import { caseViewQuery, checkInUpdate, timelineQuery } from '../../workflows/definitions';
import { makeIntake } from '../support/intake';
import { csvOf, row } from '../support/scan-list';

const root = fileURLToPath(new URL('../..', import.meta.url));
const actor = { role: 'caseworker' as const, id: 'cw-crash' };
const reading = { temperatureC: 36.6, symptoms: ['none' as const], reportedBy: 'returnee' as const };

let dir: string;
let server: DevServer;
let port: number;
let worker: ChildProcess | undefined;
let connection: Connection;
let cases: CaseClient;
const taskQueue = `crash-${process.pid}`;
const STICKY_QUEUE_TIMEOUT_SECONDS = 20;

/** `npm run worker` as a separate process, configured by environment like in production. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    // A shorter sticky-queue timeout than the default 120 s keeps this test short (see below).
    env: { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, SANFAN_DATA_DIR: dir, LOG_LEVEL: 'warn', WORKER_STICKY_QUEUE_TIMEOUT_SECONDS: String(STICKY_QUEUE_TIMEOUT_SECONDS) },
    stdio: 'ignore',
  });
  return child;
}

function killHard(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function connectClient() {
  connection = await Connection.connect({ address: server.address });
  const secrets = loadSecrets(dir);
  cases = new CaseClient({
    client: new Client({ connection, namespace: 'default', dataConverter: dataConverter(secrets) }),
    taskQueue, caseIdKey: secrets.caseIdKey,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanfan-crash-'));
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify(generateSecrets()));
  server = await startDevServer({ dbFile: join(dir, 'temporal.db'), ui: false });
  port = Number(server.address.split(':')[1]);
  await connectClient();
  worker = startWorkerProcess();
});

afterAll(async () => {
  await killHard(worker);
  await connection?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('crashes', () => {
  it('a worker killed with SIGKILL mid-isolation loses nothing and doubles nothing', async () => {
    const { case: c } = await cases.register(makeIntake({ arrivalDate: localDateOf(Date.now()) }), policyByVersion(), actor);
    const handle = cases.handle(c.caseId);
    const first = await handle.executeUpdate(checkInUpdate, { args: [reading, actor], updateId: 'crash-1' });

    await killHard(worker);
    // Sent while no worker runs: the update waits in Temporal, not in the dead process. Its task
    // goes to the dead worker's queue (polled less than 10 s ago) and waits out the sticky-queue
    // timeout (WORKER_STICKY_QUEUE_TIMEOUT_SECONDS, 20 s here) before the new worker takes it.
    const pending = handle.executeUpdate(checkInUpdate, { args: [{ ...reading, temperatureC: 36.8 }, actor], updateId: 'crash-2' });
    await new Promise((r) => setTimeout(r, 1_000));
    worker = startWorkerProcess();
    const second = await pending;
    // The client retries the same request after the crash: recorded once.
    const retried = await handle.executeUpdate(checkInUpdate, { args: [{ ...reading, temperatureC: 36.8 }, actor], updateId: 'crash-2' });

    expect(second.reading.id).toBe('r2');
    expect(retried.reading.id).toBe('r2');
    expect(first.reading.id).toBe('r1');
    const view = await handle.query(caseViewQuery);
    expect(view.status).toBe('home_isolation');
    const checkIns = (await handle.query(timelineQuery)).filter((e) => e.type === 'check_in');
    expect(checkIns.map((e) => e.data?.readingId)).toEqual(['r1', 'r2']);
  }, 120_000);

  it('an API killed with SIGKILL during a bulk import: importing the file again creates every case exactly once', async () => {
    const apiPort = await freePort();
    const startApi = () => spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
      cwd: root, stdio: 'ignore',
      env: { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, SANFAN_DATA_DIR: dir, PORT: String(apiPort), LOG_LEVEL: 'warn' },
    });
    const token = `Bearer ${mintToken(loadSecrets(dir).tokenSecret, { sub: 'sup-crash', role: 'supervisor', villages: [] })}`;
    const ROWS = 120;
    const file = csvOf(Array.from({ length: ROWS }, () => row({ 村: '荆顶村' })));
    const importFile = () => fetch(`http://127.0.0.1:${apiPort}/api/imports`, {
      method: 'POST', body: file, headers: { Authorization: token, 'Content-Type': 'text/csv', Accept: 'application/x-ndjson' },
    });
    const untilUp = async () => {
      for (let i = 0; i < 120; i++) {
        if (await fetch(`http://127.0.0.1:${apiPort}/healthz`).then((r) => r.ok, () => false)) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('the API did not come up');
    };

    let api = startApi();
    await untilUp();
    // Read the progress stream until some rows are in, then kill the API mid-import.
    const reader = (await importFile()).body!.getReader();
    let seen = '';
    while ((seen.match(/"type":"row"/g) ?? []).length < 10) seen += new TextDecoder().decode((await reader.read()).value);
    await killHard(api);

    api = startApi();
    await untilUp();
    const again = (await (await importFile()).text()).trim().split('\n').map((line) => JSON.parse(line));
    await killHard(api);
    const summary = again.find((event) => event.type === 'summary');
    expect(summary.totals.rows).toBe(ROWS);
    expect(summary.totals.created + summary.totals.existing).toBe(ROWS);
    expect(summary.totals.existing).toBeGreaterThanOrEqual(10);
    const caseIds = new Set(again.filter((e) => e.type === 'row').map((e) => e.caseId));
    expect(caseIds.size).toBe(ROWS);
    // Visibility is eventually consistent: poll until it settles, then it must be exactly ROWS.
    const countCases = async () => (await cases.temporal.workflow.count(`WorkflowType = 'returneeCase' AND CaseVillage = 'jingding'`)).count;
    let count = await countCases();
    for (let i = 0; i < 40 && count < ROWS; i++) {
      await new Promise((r) => setTimeout(r, 250));
      count = await countCases();
    }
    expect(count).toBe(ROWS);
  }, 180_000);

  it('a restarted dev server on the same SQLite file still holds every open case and its timers', async () => {
    const { case: c } = await cases.register(makeIntake({ arrivalDate: localDateOf(Date.now()) }), policyByVersion(), actor);
    const handle = cases.handle(c.caseId);
    await handle.executeUpdate(checkInUpdate, { args: [reading, actor] });
    const before = await handle.query(caseViewQuery);

    await connection.close();
    await server.stop();
    server = await startDevServer({ dbFile: join(dir, 'temporal.db'), ui: false, port });
    await connectClient();

    const after = await cases.handle(c.caseId).query(caseViewQuery);
    expect(after.slots).toEqual(before.slots);
    expect(after.nextDeadline).toBe(before.nextDeadline);
    const description = await cases.handle(c.caseId).describe();
    expect(description.status.name).toBe('RUNNING');
    // The durable timer of the next deadline survived the restart.
    const events = (await cases.handle(c.caseId).fetchHistory()).events!;
    const started = events.filter((e) => e.timerStartedEventAttributes).map((e) => e.eventId!.toString());
    const ended = new Set(events.flatMap((e) => [e.timerFiredEventAttributes?.startedEventId, e.timerCanceledEventAttributes?.startedEventId])
      .filter(Boolean).map((id) => id!.toString()));
    expect(started.filter((id) => !ended.has(id))).toHaveLength(1);
    // And it still takes check-ins.
    const more = await cases.handle(c.caseId).executeUpdate(checkInUpdate, { args: [reading, actor] });
    expect(more.reading.id).toBe('r2');
  }, 120_000);
});
