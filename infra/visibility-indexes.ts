// The embedded dev server's visibility table, trimmed to the indexes sanfan's lists can use.
//
// Every search-attribute upsert (a case's status, escalation level, overdue slots changing) rewrites
// the case's row in `executions_visibility`, and with it the row's entry in each of the table's 59
// indexes — on the dev server's one SQLite connection, which the workflow updates of every other
// case wait for. In a CPU profile of a 5,000-case deadline burst, the visibility upsert was 35 % of
// the server's CPU and three quarters of its time on that connection. 36 of the indexes cover
// columns no sanfan case ever sets and no sanfan list filters on: Temporal features sanfan does not
// use (schedules, batch jobs, worker versioning, pausing, child workflows) and the search-attribute
// types sanfan declares none of. Dropping them leaves every query working (a query on such a
// column scans instead) and makes each upsert cheaper (bench/README.md: "Tuning, session 8").
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SearchAttributeType } from '@temporalio/common';
import { caseSearchAttributes } from '../workflows/search-attributes';

const run = promisify(execFile);

/** Temporal's own columns and features that sanfan never sets or lists by. */
const UNUSED_BY_SANFAN = [
  // Lists filter on status, type, ID and task queue; never on these times and run statistics.
  'by_execution_time', 'by_history_length', 'by_history_size_bytes', 'by_execution_duration', 'by_state_transition_count',
  // No child workflows.
  'by_parent_workflow_id', 'by_parent_run_id', 'by_root_workflow_id', 'by_root_run_id',
  // No batch jobs, schedules, pausing or worker versioning.
  'by_batcher_user', 'by_temporal_scheduled_start_time', 'by_temporal_scheduled_by_id', 'by_temporal_schedule_paused',
  'by_temporal_pause_info', 'by_temporal_worker_deployment_version', 'by_temporal_workflow_versioning_behavior',
  'by_temporal_worker_deployment',
  // Reserved for Temporal's internal search attributes.
  'by_temporal_bool_01', 'by_temporal_bool_02', 'by_temporal_datetime_01', 'by_temporal_datetime_02',
  'by_temporal_double_01', 'by_temporal_double_02', 'by_temporal_int_01', 'by_temporal_int_02',
  'by_temporal_keyword_01', 'by_temporal_keyword_02', 'by_temporal_keyword_03', 'by_temporal_keyword_04',
  'by_temporal_low_cardinality_keyword_01',
];

/** The visibility table's indexed custom slots by search-attribute type: index name and how many. */
const CUSTOM_SLOTS = [
  [SearchAttributeType.BOOL, 'bool', 3], [SearchAttributeType.DATETIME, 'datetime', 3],
  [SearchAttributeType.DOUBLE, 'double', 3], [SearchAttributeType.INT, 'int', 3],
  [SearchAttributeType.KEYWORD, 'keyword', 10],
] as const;

/** The slots of every type no sanfan search attribute has (today bool and double); a new attribute keeps its type's. */
const declaredTypes = new Set<string>(caseSearchAttributes.map((key) => key.type));
const UNUSED_SLOTS = CUSTOM_SLOTS.filter(([type]) => !declaredTypes.has(type))
  .flatMap(([, name, count]) => Array.from({ length: count }, (_, i) => `by_${name}_${String(i + 1).padStart(2, '0')}`));

export const UNUSED_VISIBILITY_INDEXES: readonly string[] = [...UNUSED_BY_SANFAN, ...UNUSED_SLOTS];

/** `kept: …` says why the table was left as it is: the server works the same, bursts run slower. */
export type TrimOutcome = 'trimmed' | `kept: ${string}`;

/**
 * Drops the unused indexes from a dev server's SQLite file (idempotent: already dropped is fine).
 * Runs while the server is up, through SQLite's own locking; it waits for the server's connection
 * to be between transactions. Needs the `sqlite3` command. A speed-up only: when it cannot be
 * done (no `sqlite3`, or one too old to read a newer server's schema) the table stays as it is.
 */
export async function trimVisibilityIndexes(dbFile: string): Promise<TrimOutcome> {
  const sql = UNUSED_VISIBILITY_INDEXES.map((name) => `DROP INDEX IF EXISTS ${name};`).join('\n');
  try {
    await run('sqlite3', ['-bail', '-cmd', '.timeout 30000', dbFile, sql]);
    return 'trimmed';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'kept: no sqlite3 on PATH';
    const reason = String((error as { stderr?: string }).stderr || error).trim().split('\n')[0];
    return `kept: sqlite3 failed (${reason})`;
  }
}
