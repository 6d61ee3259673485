// The embedded dev server's visibility table with only the index upkeep sanfan uses: the lists,
// Temporal's other queries and its full-text queries still answer, and a restart on the same file
// finds it trimmed.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startDevServer } from '../../infra/dev-server';
import {
  serverSlotAliases, slotIndexPlan, trimVisibilityIndexes, unusedVisibilityIndexes, visibilityIndexNames, withSlotAttributes,
  type SlotAliases,
} from '../../infra/visibility-indexes';
import { CASE_WORKFLOW, checkInUpdate } from '../../workflows/definitions';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';

const actor: Actor = { role: 'caseworker', id: 'cw-visibility-indexes-test' };
const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

const sqlite = (dbFile: string, sql: string) => execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', dbFile, sql], { encoding: 'utf8' });
const schemaNames = (dbFile: string, type: 'index' | 'trigger') =>
  sqlite(dbFile, `SELECT name FROM sqlite_master WHERE type = '${type}' AND tbl_name = 'executions_visibility' ORDER BY name`)
    .split('\n').filter(Boolean);
/** Runs `work` with PATH set to an empty directory (passed to it), where no sqlite3 is found. */
async function withoutSqlite3<T>(work: (emptyDir: string) => Promise<T>): Promise<T> {
  const path = process.env.PATH;
  const emptyDir = mkdtempSync(join(tmpdir(), 'sanfan-no-sqlite3-'));
  process.env.PATH = emptyDir;
  try {
    return await work(emptyDir);
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
    process.env.PATH = path;
  }
}
const slotIndexes = (names: string[]) => names.filter((name) => /^by_(bool|datetime|double|int|keyword)_\d\d$/.test(name));

it('without the server\'s slot aliases drops the slots of bool and double (no sanfan attribute has those types) and keeps the rest', () => {
  const plan = slotIndexPlan(undefined);
  expect(plan.drop.map((slot) => slot.index))
    .toEqual(['by_bool_01', 'by_bool_02', 'by_bool_03', 'by_double_01', 'by_double_02', 'by_double_03']);
  expect(plan.keep).toHaveLength(16);
  expect(unusedVisibilityIndexes(undefined)).toHaveLength(40);
  // A case's runs are listed by workflow ID; pages without a selective filter go in default_idx's order.
  for (const kept of ['default_idx', 'by_workflow_id']) expect(unusedVisibilityIndexes(undefined)).not.toContain(kept);
  // Every case has the same type and task queue, and no namespace division; nearly all are running.
  expect(unusedVisibilityIndexes(undefined))
    .toEqual(expect.arrayContaining(['by_status', 'by_workflow_type', 'by_task_queue', 'by_temporal_namespace_division']));
});

it('with them keeps a slot\'s index only where some namespace has an attribute there that a query may filter on', () => {
  const aliases: SlotAliases[] = [
    { Keyword03: 'CaseStatus', Keyword10: 'CaseHealthCode', Datetime01: 'CaseNextDeadline', Int02: 'CaseEscalationLevel' },
    { Keyword05: 'AnotherTeamsAttribute', Keyword10: 'CaseHealthCode' },
    {},
  ];
  expect(slotIndexPlan(aliases).keep.map((slot) => slot.index)).toEqual(['by_int_02', 'by_keyword_03', 'by_keyword_05']);
  const dropped = unusedVisibilityIndexes(aliases);
  expect(dropped).toEqual(expect.arrayContaining(['by_keyword_10', 'by_datetime_01', 'by_keyword_01', 'by_int_03', 'by_bool_01']));
  expect(dropped).toHaveLength(34 + 22 - 3);
});

it('names the attributes a slot\'s index serves, in every namespace that puts one there', () => {
  const aliases: SlotAliases[] = [{ Keyword03: 'CaseStatus', Int02: 'CaseEscalationLevel' }, { Keyword03: 'AnotherTeamsAttribute' }, {}];
  expect(withSlotAttributes(['by_keyword_03', 'by_int_02', 'by_int_01', 'by_workflow_id'], aliases))
    .toEqual(['by_keyword_03 (CaseStatus, AnotherTeamsAttribute)', 'by_int_02 (CaseEscalationLevel)', 'by_int_01', 'by_workflow_id']);
  expect(withSlotAttributes(['by_keyword_03'], undefined)).toEqual(['by_keyword_03']);
});

it('leaves the table as it is, and says why, where there is no sqlite3 command or it fails', async () => {
  await withoutSqlite3(async (emptyDir) => {
    expect(await trimVisibilityIndexes(join(emptyDir, 'temporal.db'))).toBe('kept: no sqlite3 on PATH');
    expect(await visibilityIndexNames(join(emptyDir, 'temporal.db'))).toBeUndefined();
  });
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

  it('keeps the indexes the lists use, drops the rest, updates full-text entries only when they change, and still answers every query', { timeout: 120_000 }, async () => {
    let server = await startDevServer({ dbFile, ui: false });
    let worker: Awaited<ReturnType<typeof startCaseWorker>> | undefined;
    try {
      expect(server.visibilityIndexes).toBe('trimmed');
      const aliases = await serverSlotAliases(server.address);
      expect(aliases?.some((ns) => Object.values(ns).includes('CaseStatus'))).toBe(true);
      const indexes = schemaNames(dbFile, 'index');
      expect(indexes.filter((name) => unusedVisibilityIndexes(aliases).includes(name))).toEqual([]);
      expect(indexes).toEqual(expect.arrayContaining(['default_idx', 'by_workflow_id']));
      // The slots of the seven attributes the lists (and the bench) filter on; not health code or next deadline.
      expect(slotIndexes(indexes)).toEqual(slotIndexPlan(aliases).keep.map((slot) => slot.index));
      expect(slotIndexes(indexes)).toHaveLength(7);
      // What the bench's notes name: the same, the primary key's own index aside.
      expect(await visibilityIndexNames(dbFile)).toEqual(indexes.filter((name) => !name.startsWith('sqlite_autoindex_')));
      expect(await visibilityIndexNames(dbFile)).toHaveLength(9);
      expect(withSlotAttributes((await visibilityIndexNames(dbFile))!, aliases)).toEqual(expect.arrayContaining([
        expect.stringMatching(/^by_keyword_\d\d \(CaseStatus\)$/), expect.stringMatching(/^by_int_\d\d \(CaseEscalationLevel\)$/)]));
      expect(schemaNames(dbFile, 'trigger'))
        .toEqual(['executions_visibility_ad', 'executions_visibility_ai', 'executions_visibility_au_keyword_list', 'executions_visibility_au_text']);

      worker = await startCaseWorker(server.address);
      const answer = await worker.cases.register(makeIntake({ healthCode: 'yellow' }), policyByVersion('2026.1'), actor);
      expect(answer.case.status).toBe('home_isolation');
      const count = async (query: string) => (await worker!.client.workflow.count(`TaskQueue = '${worker!.taskQueue}' AND ${query}`)).count;
      // A list's filter (indexed), and Temporal's own columns whose indexes are gone (scanned).
      await expect.poll(() => count(`CaseStatus = 'home_isolation'`), { timeout: 20_000, interval: 250 }).toBe(1);
      expect(await count(`ExecutionTime < '${new Date(Date.now() + 60_000).toISOString()}'`)).toBe(1);
      expect(await count(`CaseHealthCode = 'yellow'`)).toBe(1);
      expect(await count(`TemporalChangeVersion = 'rules-2026-12'`)).toBe(1);
      // A check-in's upsert leaves the keyword lists as they were: no full-text work, same answers.
      await worker.cases.handle(answer.case.caseId).executeUpdate(checkInUpdate, {
        args: [{ temperatureC: 36.6, symptoms: ['none'], reportedBy: 'returnee' }, actor],
      });
      await expect.poll(() => count(`CaseStatus = 'home_isolation' AND CaseOverdueSlots = 0`), { timeout: 20_000, interval: 250 }).toBe(1);
      expect(await count(`TemporalChangeVersion = 'rules-2026-12'`)).toBe(1);
      // An update that changes a keyword list re-indexes it (here written directly, as no sanfan case
      // changes its patch markers after its first task; the server keeps a list as words joined by ♡):
      // the new word is found, the old one is not.
      sqlite(dbFile, `UPDATE executions_visibility SET search_attributes = json_set(search_attributes, '$.TemporalChangeVersion', 'later-patch')
        WHERE workflow_id = '${answer.case.caseId}'`);
      expect(await count(`TemporalChangeVersion = 'later-patch'`)).toBe(1);
      expect(await count(`TemporalChangeVersion = 'rules-2026-12'`)).toBe(0);
      // SQLite's own check that each full-text index holds exactly what its rows say.
      sqlite(dbFile, `INSERT INTO executions_visibility_fts_keyword_list (executions_visibility_fts_keyword_list) VALUES ('integrity-check');
        INSERT INTO executions_visibility_fts_text (executions_visibility_fts_text) VALUES ('integrity-check');`);

      // A slot that an attribute comes to occupy gets its index back; trimming again drops it.
      // (The server assigns slots in no fixed order: take one this server left without an index.)
      const free = slotIndexPlan(aliases).drop.find((slot) => slot.column.startsWith('Keyword'))!;
      expect(await trimVisibilityIndexes(dbFile, [...aliases!, { [free.column]: 'AnotherTeamsAttribute' }])).toBe('trimmed');
      expect(schemaNames(dbFile, 'index')).toContain(free.index);
      expect(await trimVisibilityIndexes(dbFile, aliases)).toBe('trimmed');
      expect(schemaNames(dbFile, 'index')).not.toContain(free.index);
      await worker.stop();
      worker = undefined;

      // A restart trims again (nothing left to change) and finds the case where it was.
      await server.stop();
      server = await startDevServer({ dbFile, ui: false });
      expect(server.visibilityIndexes).toBe('trimmed');
      expect(schemaNames(dbFile, 'trigger')).toHaveLength(4);
      worker = await startCaseWorker(server.address);
      expect((await worker.client.workflow.count(`WorkflowId = '${answer.case.caseId}' AND ExecutionStatus = 'Running'`)).count).toBe(1);
    } finally {
      await worker?.stop();
      await server.stop();
    }
    // An update trigger this module does not know (a newer server's, say) is left as it is.
    const other = join(dir, 'other.db');
    copyFileSync(dbFile, other);
    const unknown = `CREATE TRIGGER executions_visibility_au AFTER UPDATE ON executions_visibility BEGIN
      INSERT INTO executions_visibility_fts_text (rowid, Text01, Text02, Text03) VALUES (NEW.rowid, NEW.Text01, NEW.Text02, NEW.Text03); END`;
    sqlite(other, `DROP TRIGGER executions_visibility_au_text; DROP TRIGGER executions_visibility_au_keyword_list; ${unknown};`);
    expect(await trimVisibilityIndexes(other)).toMatch(/^trimmed; update trigger left as the server wrote it/);
    expect(schemaNames(other, 'trigger')).toEqual(['executions_visibility_ad', 'executions_visibility_ai', 'executions_visibility_au']);

    // A sqlite3 built without FTS5 cannot read the full-text tables: the indexes are trimmed all the same.
    const noFts5 = mkdtempSync(join(tmpdir(), 'sanfan-sqlite3-without-fts5-'));
    const realSqlite3 = execFileSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).trim();
    writeFileSync(join(noFts5, 'sqlite3'), `#!/bin/sh\ncase "$*" in *pragma_table_info*) echo "Error: no such module: fts5" >&2; exit 1;; esac\nexec ${realSqlite3} "$@"\n`, { mode: 0o755 });
    sqlite(other, 'CREATE INDEX by_history_length ON executions_visibility (namespace_id, history_length);');
    const path = process.env.PATH;
    process.env.PATH = `${noFts5}:${path}`;
    try {
      expect(await trimVisibilityIndexes(other)).toBe('trimmed; update trigger left as it is (its full-text tables unreadable: Error: no such module: fts5)');
    } finally {
      process.env.PATH = path;
      rmSync(noFts5, { recursive: true, force: true });
    }
    expect(schemaNames(other, 'index')).not.toContain('by_history_length');
  });

  it('lets SQLite plan the lists by the attribute\'s index and a case\'s runs by its ID, where the server\'s schema had it take a column every case shares', { timeout: 60_000 }, async () => {
    // The server's own schema, untrimmed: its start finds no sqlite3 to trim with.
    const planned = join(dir, 'planned.db');
    const aliases = await withoutSqlite3(async () => {
      const server = await startDevServer({ dbFile: planned, ui: false });
      try {
        expect(server.visibilityIndexes).toBe('kept: no sqlite3 on PATH');
        return await serverSlotAliases(server.address);
      } finally {
        await server.stop();
      }
    });
    const status = Object.entries(aliases!.find((ns) => Object.values(ns).includes('CaseStatus'))!)
      .find(([, name]) => name === 'CaseStatus')![0];
    const statusIndex = slotIndexPlan(aliases).keep.find((slot) => slot.column === status)!.index;
    // The SQL the server's query converter writes for the medical-review list (`WorkflowType = …
    // AND ExecutionStatus = 'Running' AND CaseStatus = 'medical_review'`) and for a case's runs.
    const plan = (filter: string) => sqlite(planned, `EXPLAIN QUERY PLAN SELECT COUNT(1) FROM executions_visibility
      WHERE namespace_id = 'ns' AND (${filter} AND TemporalNamespaceDivision IS NULL);`);
    const list = () => plan(`workflow_type_name = '${CASE_WORKFLOW}' AND status = 1 AND ${status} = 'medical_review'`);
    const runs = () => plan(`workflow_id = 'case-1' AND status != 4`);
    expect(list()).toMatch(/USING INDEX by_(status|workflow_type) /);
    expect(runs()).toContain('USING INDEX by_temporal_namespace_division ');

    expect(await trimVisibilityIndexes(planned, aliases)).toBe('trimmed');
    expect(list()).toContain(`USING INDEX ${statusIndex} `);
    expect(runs()).toContain('USING INDEX by_workflow_id ');
  });
});
