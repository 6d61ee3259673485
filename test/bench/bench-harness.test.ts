// The bench's own logic that a wrong number would come from: the open-loop load's bookkeeping and
// the hold policy's promise that held cases sleep while a check-in still fills an open slot.
import { describe, expect, it } from 'vitest';
import { runOpenLoop } from '../../bench/load';
import { holdPolicy } from '../../bench/policies';
import { buildSlots, placeCheckIn } from '../../domain/slots';
import { HOUR_MS, MINUTE_MS, localDateOf } from '../../domain/time';

describe('open-loop load', () => {
  it('keeps sending at its rate while earlier requests wait, and refuses beyond the in-flight cap', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const started: number[] = [];
    const result = await runOpenLoop({
      total: 6, ratePerSecond: 1000, maxSeconds: 60, maxInFlight: 3,
      operation: async (index) => {
        started.push(index);
        if (started.length === 3) setTimeout(release, 20);
        await gate;
      },
    });
    expect(started).toEqual([0, 1, 2]);
    expect(result).toMatchObject({ completed: 3, failed: 3, truncated: false, errors: ['more than 3 requests in flight'] });
    expect(result.latenciesMs).toHaveLength(3);
  });

  it('counts a rejected request as failed with its message, and stops at the time limit', async () => {
    const result = await runOpenLoop({
      total: 1_000_000, ratePerSecond: 200, maxSeconds: 0.05, maxInFlight: 10,
      operation: async (index) => { if (index === 0) throw new Error('case not found\nstack'); },
    });
    expect(result.failed).toBe(1);
    expect(result.errors).toEqual(['case not found']);
    expect(result.truncated).toBe(true);
    expect(result.completed).toBeLessThan(1_000_000);
  });
});

describe('hold policy', () => {
  const shanghaiMidnight = Date.parse('2026-11-29T00:00:00+08:00');

  it.each(Array.from({ length: 48 }, (_, i) => i * 30))('at %i minutes past midnight in Shanghai: no deadline for 2 hours; the next slot is open when it falls today', (minute) => {
    const now = shanghaiMidnight + minute * MINUTE_MS;
    const policy = holdPolicy(now);
    const slots = buildSlots(localDateOf(now), 14, policy, now);
    expect(slots[0].dueAt - now).toBeGreaterThanOrEqual(2 * HOUR_MS);
    const placement = placeCheckIn(slots, now).status;
    if (minute <= 22 * 60 - 1) expect(placement).toBe('done');
    else expect(placement).toBe('unscheduled');
  });
});
