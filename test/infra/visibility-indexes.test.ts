// The embedded dev server's visibility table without the indexes sanfan never uses: the lists and
// Temporal's other queries still answer, and a restart on the same file finds it trimmed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startDevServer } from '../../infra/dev-server';
import { trimVisibilityIndexes, UNUSED_VISIBILITY_INDEXES } from '../../infra/visibility-indexes';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';

const actor: Actor = { role: 'caseworker', id: 'cw-visibility-indexes-test' };
const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

const visibilityIndexes = (dbFile: string) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbFile,
  "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions_visibility'"], { encoding: 'utf8' })
  .split('\n').filter(Boolean);

it('drops no index of a search-attribute type sanfan declares (keyword, datetime, int slots), and those of bool and double', () => {
  expect(UNUSED_VISIBILITY_INDEXES.filter((name) => /^by_(keyword|datetime|int)_\d\d$/.test(name))).toEqual([]);
  expect(UNUSED_VISIBILITY_INDEXES.filter((name) => /^by_(bool|double)_\d\d$/.test(name)))
    .toEqual(['by_bool_01', 'by_bool_02', 'by_bool_03', 'by_double_01', 'by_double_02', 'by_double_03']);
  expect(UNUSED_VISIBILITY_INDEXES).toHaveLength(36);
  // The lists filter on these, besides the case attributes.
  for (const kept of ['default_idx', 'by_status', 'by_workflow_type', 'by_workflow_id', 'by_task_queue', 'by_temporal_namespace_division']) {
    expect(UNUSED_VISIBILITY_INDEXES).not.toContain(kept);
  }
});

it('leaves the table as it is, and says why, where there is no sqlite3 command or it fails', async () => {
  const path = process.env.PATH;
  process.env.PATH = mkdtempSync(join(tmpdir(), 'sanfan-no-sqlite3-'));
  try {
    expect(await trimVisibilityIndexes(join(process.env.PATH, 'temporal.db'))).toBe('kept: no sqlite3 on PATH');
  } finally {
    rmSync(process.env.PATH, { recursive: true, force: true });
    process.env.PATH = path;
  }
  if (hasSqlite3) {
    const notADatabase = join(mkdtempSync(join(tmpdir(), 'sanfan-not-a-db-')), 'temporal.db');
    writeFileSync(notADatabase, 'not a database, but long enough that SQLite reads a header from it'.repeat(10));
    expect(await trimVisibilityIndexes(notADatabase)).toMatch(/^kept: sqlite3 failed \(.+\)$/);
    rmSync(dirname(notADatabase), { recursive: true, force: true });
  }
});

describe.skipIf(!hasSqlite3)('a dev server on a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanfan-visibility-'));
  const dbFile = join(dir, 'temporal.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the indexes the lists use, drops the rest, and still answers every query', { timeout: 120_000 }, async () => {
    let server = await startDevServer({ dbFile, ui: false });
    let worker: Awaited<ReturnType<typeof startCaseWorker>> | undefined;
    try {
      expect(server.visibilityIndexes).toBe('trimmed');
      const indexes = visibilityIndexes(dbFile);
      expect(indexes.filter((name) => UNUSED_VISIBILITY_INDEXES.includes(name))).toEqual([]);
      expect(indexes).toEqual(expect.arrayContaining(['default_idx', 'by_status', 'by_task_queue', 'by_keyword_01', 'by_datetime_01', 'by_int_01']));

      worker = await startCaseWorker(server.address);
      const answer = await worker.cases.register(makeIntake({ healthCode: 'yellow' }), policyByVersion('2026.1'), actor);
      expect(answer.case.status).toBe('home_isolation');
      const count = async (query: string) => (await worker!.client.workflow.count(`TaskQueue = '${worker!.taskQueue}' AND ${query}`)).count;
      // A list's filter (indexed), and Temporal's own columns whose indexes are gone (scanned).
      await expect.poll(() => count(`CaseStatus = 'home_isolation'`), { timeout: 20_000, interval: 250 }).toBe(1);
      expect(await count(`ExecutionTime < '${new Date(Date.now() + 60_000).toISOString()}'`)).toBe(1);
      await worker.stop();
      worker = undefined;

      // A restart trims again (nothing left to drop) and finds the case where it was.
      await server.stop();
      server = await startDevServer({ dbFile, ui: false });
      expect(server.visibilityIndexes).toBe('trimmed');
      worker = await startCaseWorker(server.address);
      expect((await worker.client.workflow.count(`WorkflowId = '${answer.case.caseId}' AND ExecutionStatus = 'Running'`)).count).toBe(1);
    } finally {
      await worker?.stop();
      await server.stop();
    }
  });
});
