// Costly counts reused for a few seconds, cheap ones always asked afresh, and a fresh request
// never served from what was kept.
import { describe, expect, it } from 'vitest';
import { COSTLY_COUNT_MS, CostlyAnswers, describeReuse, wantsFresh } from '../../api/costly-answers';

/** A clock the test moves, and a count that costs what the test says (in that clock's time). */
function setUp(reuseMs = 10_000, minCostMs = 50) {
  let now = 1_000_000;
  let asked = 0;
  const answers = new CostlyAnswers({ reuseMs, minCostMs, maxEntries: 2, now: () => now });
  const count = (costMs: number, value = asked + 1) => async () => {
    asked++;
    await Promise.resolve();
    now += costMs;
    return value;
  };
  return { answers, count, asked: () => asked, pass: (ms: number) => { now += ms; }, now: () => now };
}

describe('costly answers', () => {
  it('reuse an answer that took at least the cost for as long as allowed, with the time it was asked for', async () => {
    const t = setUp();
    const first = await t.answers.get('pending', t.count(400));
    expect(first).toEqual({ value: 1, at: 1_000_000 });
    t.pass(9_000);
    expect(await t.answers.get('pending', t.count(400))).toEqual(first);
    expect(t.asked()).toBe(1);
    t.pass(1_000); // 10 s after it was asked for: asked again
    expect((await t.answers.get('pending', t.count(400))).value).toBe(2);
    expect(t.asked()).toBe(2);
  });

  it('never keep a cheap answer: each request asks again and gets the count of its moment', async () => {
    const t = setUp();
    expect((await t.answers.get('a village', t.count(49))).value).toBe(1);
    expect((await t.answers.get('a village', t.count(49))).value).toBe(2);
    expect(t.asked()).toBe(2);
  });

  it('ask afresh when the caller wants it, and keep that answer for the others', async () => {
    const t = setUp();
    await t.answers.get('pending', t.count(400));
    const fresh = await t.answers.get('pending', t.count(400), { fresh: true });
    expect(fresh.value).toBe(2);
    expect(await t.answers.get('pending', t.count(400))).toEqual(fresh);
    expect(t.asked()).toBe(2);
  });

  it('keep the later answer when an earlier, slower one comes back after it', async () => {
    const t = setUp();
    let finishSlow!: () => void;
    const slow = t.answers.get('pending', async () => {
      await new Promise<void>((resolve) => { finishSlow = resolve; });
      t.pass(400);
      return 1;
    });
    t.pass(100);
    const fresh = await t.answers.get('pending', t.count(400, 2), { fresh: true });
    finishSlow();
    expect((await slow).value).toBe(1);
    expect(await t.answers.get('pending', t.count(400, 3))).toEqual(fresh);
  });

  it('share one request among those that ask at the same time, costly or not, and keep no failure', async () => {
    const t = setUp();
    const [a, b] = await Promise.all([t.answers.get('x', t.count(1)), t.answers.get('x', t.count(1))]);
    expect(a).toBe(b);
    expect(t.asked()).toBe(1);
    const failing = async (): Promise<number> => { throw new Error('Temporal is unreachable'); };
    await expect(t.answers.get('y', failing)).rejects.toThrow('Temporal is unreachable');
    expect((await t.answers.get('y', t.count(400))).value).toBe(2);
  });

  it('keep nothing when reuse is off, and forget the oldest beyond the entries allowed', async () => {
    const off = setUp(0);
    await off.answers.get('pending', off.count(400));
    await off.answers.get('pending', off.count(400));
    expect(off.asked()).toBe(2);

    const t = setUp();
    for (const key of ['a', 'b', 'c']) await t.answers.get(key, t.count(400));
    await t.answers.get('c', t.count(400));
    await t.answers.get('b', t.count(400));
    expect(t.asked()).toBe(3);
    await t.answers.get('a', t.count(400)); // forgotten: two entries at most
    expect(t.asked()).toBe(4);
  });
});

describe('a request for the answer of this moment', () => {
  it('is one with Cache-Control no-cache, no-store or max-age=0', () => {
    for (const header of ['no-cache', 'max-age=0', 'No-Store', 'private, no-cache', 'no-cache,max-age=0']) expect(wantsFresh(header)).toBe(true);
    for (const header of [undefined, '', 'max-age=60', 'no-transform', 'max-age=01']) expect(wantsFresh(header)).toBe(false);
  });
});

describe('the reuse in words', () => {
  it('says what is reused and for how long, or that nothing is', () => {
    expect(describeReuse({ reuseMs: 10_000, minCostMs: COSTLY_COUNT_MS })).toBe('a count that took 50 ms or more reused for 10 s');
    expect(describeReuse({ reuseMs: 0, minCostMs: COSTLY_COUNT_MS })).toBe('no count reused');
  });
});
