// The embedded dev server as sanfan starts it: settings that decide its cost per case.
import { expect, inject, it } from 'vitest';
import { scrape, type Sample } from '../../bench/prometheus';
import { callsBetween, dbCalls, type DbCalls } from '../../bench/server-db';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';
import { withWakeAtWorker } from '../support/wake-at-worker';

const actor: Actor = { role: 'caseworker', id: 'cw-dev-server-test' };
const serverDbCalls = async () => dbCalls(await scrape(inject('devServerMetricsUrl')));
const callsSince = (before: DbCalls, after: DbCalls, operation: string) => callsBetween(before, after)[operation]?.calls ?? 0;

// The CLI's dev server reads search-attribute definitions from SQLite on every use unless told not
// to: in the bench, 12 extra reads per escalation, on the database's one connection.
it('keeps search-attribute definitions cached: publishing cases to the lists reads no cluster metadata', async () => {
  const worker = await startCaseWorker(inject('devServerAddress'));
  try {
    const before = await serverDbCalls();
    const cases = 5;
    for (let i = 0; i < cases; i++) await worker.cases.register(makeIntake(), policyByVersion('2026.1'), actor);
    // Each case publishes its status to the lists (a visibility upsert). The server's metrics are
    // flushed periodically: wait until they show every upsert, then count the reads around them.
    let after = before;
    await expect.poll(async () => callsSince(before, (after = await serverDbCalls()), 'UpsertWorkflowExecution'), { timeout: 20_000, interval: 250 })
      .toBeGreaterThanOrEqual(cases);
    // At most one: the regular 60-second refresh may fall inside the window (forced: ~10 per case).
    expect(callsSince(before, after, 'GetCurrentClusterMetadata')).toBeLessThanOrEqual(1);
  } finally {
    await worker.stop();
  }
});

/** User timers the server has fired so far, by the timer queue's reader that loaded them. */
function timersFiredByReader(samples: Sample[]): Record<string, number> {
  const fired: Record<string, number> = {};
  for (const s of samples) {
    if (s.name !== 'task_latency_queue_count' || s.labels.operation !== 'TimerActiveTaskUserTimer') continue;
    fired[s.labels.queue_reader_id] = (fired[s.labels.queue_reader_id] ?? 0) + s.value;
  }
  return fired;
}

// Every case that has not checked in has a timer at the same deadline (10:00, 20:00). The server
// loads due timers 100 at a time; by default, after a few loads within one second it calls its
// reader "stuck" and moves that second to a second, lower-priority reader: in the bench, 9,500 of a
// 10,000-case burst's timers took up to ~100 s to fire instead of ~10. Without the setting, 900 of
// these 1,500 go that way.
it('fires a burst of timers due in the same second from the main queue reader', { timeout: 120_000 }, async () => {
  const timers = 1500;
  const before = timersFiredByReader(await scrape(inject('devServerMetricsUrl')));
  await withWakeAtWorker(inject('devServerAddress'), {}, async (startWakeAt) => {
    const at = Math.ceil((Date.now() + 30_000) / 1000) * 1000;
    const handles = [];
    for (let i = 0; i < timers; i += 25) {
      handles.push(...await Promise.all(Array.from({ length: Math.min(25, timers - i) }, () => startWakeAt(at))));
    }
    await Promise.all(handles.map((handle) => handle.result()));
  });
  const firedSince = (after: Record<string, number>, reader: string) => (after[reader] ?? 0) - (before[reader] ?? 0);
  let after = before;
  await expect.poll(async () => {
    after = timersFiredByReader(await scrape(inject('devServerMetricsUrl')));
    return firedSince(after, '0') + firedSince(after, '1');
  }, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(timers);
  expect(firedSince(after, '1')).toBe(0);
});
