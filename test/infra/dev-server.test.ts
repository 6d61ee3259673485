// The embedded dev server as sanfan starts it: settings that decide its cost per case.
import { expect, inject, it } from 'vitest';
import { scrape } from '../../bench/prometheus';
import { callsBetween, dbCalls, type DbCalls } from '../../bench/server-db';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';

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
