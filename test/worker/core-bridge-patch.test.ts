// The change infra/patch-core-bridge.mjs makes to sdk-core (Linux x64): it is installed, and a full
// workflow cache still works every way through the count it changed — nothing waiting for a slot
// (no count), more tasks waiting than runs being evicted (a full count, then evictions: if the count
// came out too high, no run would be evicted and the waiting tasks would never run), and as many
// being evicted as wait (the count stops early).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';
import { withWakeAtWorker } from '../support/wake-at-worker';

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

it.runIf(linuxX64)('is installed on Linux x64', () => {
  const script = fileURLToPath(new URL('../../infra/patch-core-bridge.mjs', import.meta.url));
  const state = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(state.trim()).toBe(`[sanfan] core-bridge addon: ${process.env.SANFAN_CORE_BRIDGE_PATCH === 'off' ? 'shipped' : 'patched'}`);
});

// A cache of 2 is counted along the list alone; one of 100 is more than the 64 records the count
// looks at from the newest end, so when a task waits and none of those 64 is being evicted it counts
// over the whole hash table as well (50 times in a run watched with uprobes).
it.each([
  { cached: 2, workflows: 12 },
  { cached: 100, workflows: 150 },
])('runs $workflows workflows through a cache of $cached: tasks wait for a slot, runs are evicted and replayed', async ({ cached, workflows }) => {
  await withWakeAtWorker(inject('devServerAddress'), { maxCachedWorkflows: cached, maxConcurrentWorkflowTaskExecutions: 2 }, async (startWakeAt) => {
    const at = Date.now() + 3_000;
    const handles = await Promise.all(Array.from({ length: workflows }, () => startWakeAt(at)));
    // Every timer fires at once: the tasks of all but `cached` runs wait for a slot each time.
    await Promise.all(handles.map((handle) => handle.result()));
    const closed = await Promise.all(handles.map(async (handle) => (await handle.describe()).status.name));
    expect(closed).toEqual(Array(workflows).fill('COMPLETED'));
  });
});
