// The embedded dev server as sanfan starts it: settings that decide its cost per case.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { scrape, sumOf, type Sample } from '../../bench/prometheus';
import { callsBetween, dbCalls, type DbCalls } from '../../bench/server-db';
import type { Actor } from '../../domain';
import { freePort, serverGoEnvironment, startDevServer } from '../../infra/dev-server';
import { policyByVersion } from '../../domain/policy';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';
import { withWakeAtWorker } from '../support/wake-at-worker';

const actor: Actor = { role: 'caseworker', id: 'cw-dev-server-test' };
const callsSince = (before: DbCalls, after: DbCalls, operation: string) => callsBetween(before, after)[operation]?.calls ?? 0;

// The CLI's dev server reads search-attribute definitions from SQLite on every use unless told not
// to: in the bench, 12 extra reads per escalation, on the database's one connection.
// On a server of its own: on the shared one, other test files' search-attribute listings and
// registrations (each reads the cluster metadata once) fell inside the window.
it('keeps search-attribute definitions cached: publishing cases to the lists reads no cluster metadata', async () => {
  const metricsPort = await freePort();
  const server = await startDevServer({ ui: false, metricsPort });
  const serverDbCalls = async () => dbCalls(await scrape(`http://127.0.0.1:${metricsPort}/metrics`));
  let worker: Awaited<ReturnType<typeof startCaseWorker>> | undefined;
  try {
    worker = await startCaseWorker(server.address);
    const before = await serverDbCalls();
    const cases = 5;
    for (let i = 0; i < cases; i++) await worker.cases.register(makeIntake(), policyByVersion('2026.1'), actor);
    // Each case publishes its status to the lists (a visibility upsert). The server's metrics are
    // flushed periodically: wait until they show every upsert, then count the reads around them.
    let after = before;
    await expect.poll(async () => callsSince(before, (after = await serverDbCalls()), 'UpsertWorkflowExecution'), { timeout: 20_000, interval: 250 })
      .toBeGreaterThanOrEqual(cases);
    // At most one, as slack: an idle server of its own made none in 150 s (forced: ~10 per case).
    expect(callsSince(before, after, 'GetCurrentClusterMetadata')).toBeLessThanOrEqual(1);
  } finally {
    await worker?.stop();
    await server.stop();
  }
});

// Its output is not shown, so when it dies while starting the error must say why (and a start
// that failed only because a port was taken in the meantime is tried again, with new ports).
it('says why the server died while starting', async () => {
  const port = await freePort();
  const taken = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
  try {
    await expect(startDevServer({ ui: false, port })).rejects.toThrow(/exited with code \d+ while starting: .*address already in use/s);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

/** User timers the server has fired so far that the timer queue's reader `reader` loaded. */
const timersFiredBy = (samples: Sample[], reader: string) => sumOf(
  samples.filter((s) => s.labels.operation === 'TimerActiveTaskUserTimer' && s.labels.queue_reader_id === reader),
  'task_latency_queue_count',
);

// Every case that has not checked in has a timer at the same deadline (10:00, 20:00). The server
// loads due timers 100 at a time; by default, after a few loads within one second it calls its
// reader "stuck" and moves that second to a second, lower-priority reader: in the bench, 9,500 of a
// 10,000-case burst's timers took up to ~100 s to fire instead of ~10. Without the setting, 900 of
// these 1,500 go that way.
it('fires a burst of timers due in the same second from the main queue reader', { timeout: 120_000 }, async () => {
  const timers = 1500;
  const before = await scrape(inject('devServerMetricsUrl'));
  await withWakeAtWorker(inject('devServerAddress'), {}, async (startWakeAt) => {
    const at = Math.ceil((Date.now() + 30_000) / 1000) * 1000;
    const handles = [];
    for (let i = 0; i < timers; i += 25) {
      handles.push(...await Promise.all(Array.from({ length: Math.min(25, timers - i) }, () => startWakeAt(at))));
    }
    await Promise.all(handles.map((handle) => handle.result()));
  });
  const firedSince = (after: Sample[], reader: string) => timersFiredBy(after, reader) - timersFiredBy(before, reader);
  let after = before;
  await expect.poll(async () => {
    after = await scrape(inject('devServerMetricsUrl'));
    return firedSince(after, '0') + firedSince(after, '1');
  }, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(timers);
  expect(firedSince(after, '1')).toBe(0);
});

describe("the server's Go garbage collector", () => {
  const GiB = 1024 ** 3;

  it('lets the heap grow to five times what is live, up to half the machine, unless the environment says otherwise', () => {
    expect(serverGoEnvironment({ PATH: '/bin' }, 24 * GiB)).toEqual({ PATH: '/bin', GOGC: '400', GOMEMLIMIT: '12288MiB' });
    expect(serverGoEnvironment({ GOGC: '150', GOMEMLIMIT: '2GiB' }, 24 * GiB)).toEqual({ GOGC: '150', GOMEMLIMIT: '2GiB' });
    expect(serverGoEnvironment({ GOGC: '' }, 8 * GiB)).toMatchObject({ GOGC: '400', GOMEMLIMIT: '4096MiB' });
  });

  it.runIf(process.platform === 'linux')('is set so in the server sanfan started', () => {
    const environ = readFileSync(`/proc/${inject('devServerPid')}/environ`, 'utf8').split('\0');
    const expected = serverGoEnvironment();
    expect(environ).toContain(`GOGC=${expected.GOGC}`);
    expect(environ).toContain(`GOMEMLIMIT=${expected.GOMEMLIMIT}`);
  });
});
