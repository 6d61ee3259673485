// The change infra/patch-core-bridge.mjs makes to sdk-core (Linux x64): it is installed, and a full
// workflow cache still works both ways through the code it changed — nothing waiting for a slot
// (the count skipped) and tasks waiting for a slot (the shipped count and evictions).
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

it('runs more workflows than the cache holds: tasks wait for a slot, runs are evicted and replayed', async () => {
  const workflows = 12;
  await withWakeAtWorker(inject('devServerAddress'), { maxCachedWorkflows: 2, maxConcurrentWorkflowTaskExecutions: 2 }, async (startWakeAt) => {
    const at = Date.now() + 3_000;
    const handles = await Promise.all(Array.from({ length: workflows }, () => startWakeAt(at)));
    // Every timer fires at once for 12 runs and a cache of 2: ten tasks wait for a slot each time.
    await Promise.all(handles.map((handle) => handle.result()));
    const closed = await Promise.all(handles.map(async (handle) => (await handle.describe()).status.name));
    expect(closed).toEqual(Array(workflows).fill('COMPLETED'));
  });
});
