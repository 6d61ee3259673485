// The embedded dev server's visibility table, with only the index upkeep sanfan's queries use.
//
// Every search-attribute upsert (a case's status, escalation level, overdue slots changing) rewrites
// the case's row in `executions_visibility`, and with it the row's entry in each of the table's 59
// indexes and its full-text entries — on the dev server's one SQLite connection, which the workflow
// updates of every other case wait for. In a CPU profile of a 5,000-case deadline burst, the
// visibility upsert was 35 % of the server's CPU and three quarters of its time on that connection.
// So, on the embedded server's own file (a Temporal cluster is never touched):
// - indexes on columns no sanfan case sets and no query filters on are dropped: Temporal features
//   sanfan does not use (schedules, batch jobs, worker versioning, pausing, child workflows), custom
//   slots no search attribute occupies, and the slots of attributes sanfan sets but never filters
//   on. A query on such a column still answers (it scans). A slot that an attribute occupies later
//   gets its index back at the next start.
// - indexes on Temporal's columns that every case shares (its type, task queue, status, namespace
//   division) are dropped too: they select nothing, and SQLite's planner preferred them to the
//   attribute's own index.
// - the update trigger that rewrites both full-text indexes on every update is replaced by one
//   per full-text index that runs only when that index's columns changed. An upsert that changes a
//   case's status leaves its keyword lists (TemporalChangeVersion) as they were, and deleting and
//   re-adding the same words for the same row was all the old trigger did then: the full-text
//   indexes hold exactly what they held before.
// bench/history.md: "Tuning, session 8", "Tuning, session 25" and "Tuning, session 27".
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { caseSearchAttributes, unfilteredSearchAttributes } from '../workflows/search-attributes';

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

/**
 * Temporal's columns that every sanfan case shares: one workflow type, one task queue, `Running`
 * until it closes, no namespace division (the server adds `TemporalNamespaceDivision IS NULL` to
 * every query). An index on them selects nothing, and SQLite, which has no statistics on this table,
 * takes an equality on any index as selective: it chose `by_status` over the case-status slot for
 * every list, and `by_temporal_namespace_division` over `by_workflow_id` for a case's runs. With
 * 200,000 rows a list of 100 cases in medical review counted all 200,000 (1.1 s on the server's one
 * connection, instead of ~50 ms) and a case's runs took 0.6 s. A query that filters only on these
 * columns scans, as its index made it read every row anyway.
 */
const SELECTING_NOTHING = ['by_status', 'by_workflow_type', 'by_task_queue', 'by_temporal_namespace_division'];

/** The visibility table's indexed custom slots: the column prefix, its type, and how many. */
const CUSTOM_SLOTS = [
  ['Bool', SearchAttributeType.BOOL, 3], ['Datetime', SearchAttributeType.DATETIME, 3],
  ['Double', SearchAttributeType.DOUBLE, 3], ['Int', SearchAttributeType.INT, 3],
  ['Keyword', SearchAttributeType.KEYWORD, 10],
] as const;

interface Slot { column: string; index: string; type: SearchAttributeType }

const SLOTS: readonly Slot[] = CUSTOM_SLOTS.flatMap(([prefix, type, count]) => Array.from({ length: count }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { column: `${prefix}${n}`, index: `by_${prefix.toLowerCase()}_${n}`, type };
}));

/** Which custom slot holds which search attribute (`Keyword03` → `CaseStatus`), in one namespace. */
export type SlotAliases = Record<string, string>;

/** The slot aliases of every namespace on the server (they share one table), or undefined if it does not say. */
export async function serverSlotAliases(address: string): Promise<SlotAliases[] | undefined> {
  const connection = await Connection.connect({ address });
  try {
    const { namespaces } = await connection.workflowService.listNamespaces({ pageSize: 1000 });
    const aliases = namespaces.map((ns) => ns.config?.customSearchAttributeAliases);
    return aliases.every((a) => a) ? (aliases as SlotAliases[]) : undefined;
  } catch {
    return undefined;
  } finally {
    await connection.close();
  }
}

/**
 * The slot indexes to drop and to keep. With the server's aliases: a slot keeps its index if some
 * namespace puts an attribute there that a query may filter on (anyone's but sanfan's unfiltered
 * ones). Without them: the slots of every type no sanfan attribute has.
 */
export function slotIndexPlan(aliases: SlotAliases[] | undefined): { drop: Slot[]; keep: Slot[] } {
  const unfiltered = new Set<string>(unfilteredSearchAttributes.map((key) => key.name));
  const declaredTypes = new Set<string>(caseSearchAttributes.map((key) => key.type));
  const filtered = (slot: Slot) => aliases
    ? aliases.some((ns) => ns[slot.column] !== undefined && !unfiltered.has(ns[slot.column]))
    : declaredTypes.has(slot.type);
  return { drop: SLOTS.filter((slot) => !filtered(slot)), keep: SLOTS.filter(filtered) };
}

/** Every index the trim drops, given the server's aliases. */
export function unusedVisibilityIndexes(aliases: SlotAliases[] | undefined): string[] {
  return [...UNUSED_BY_SANFAN, ...SELECTING_NOTHING, ...slotIndexPlan(aliases).drop.map((slot) => slot.index)];
}

/** Index names, each custom slot's with the search attributes it holds: `by_keyword_03 (CaseStatus)`. */
export function withSlotAttributes(names: string[], aliases: SlotAliases[] | undefined): string[] {
  return names.map((name) => {
    const slot = SLOTS.find((candidate) => candidate.index === name);
    const attributes = slot ? [...new Set((aliases ?? []).map((ns) => ns[slot.column]).filter(Boolean))] : [];
    return attributes.length ? `${name} (${attributes.join(', ')})` : name;
  });
}

/** The server's own slot index, as its schema creates it (to restore one an earlier trim dropped). */
const slotIndexSql = (slot: Slot) => `CREATE INDEX IF NOT EXISTS ${slot.index} ON executions_visibility `
  + `(namespace_id, ${slot.column}, (COALESCE(close_time, '9999-12-31 23:59:59+00:00')) DESC, start_time DESC, run_id);`;

interface FullTextIndex { table: string; columns: string[] }

const SERVER_UPDATE_TRIGGER = 'executions_visibility_au';
const updateTriggerName = (fts: FullTextIndex) => `${SERVER_UPDATE_TRIGGER}_${fts.table.replace(/^executions_visibility_fts_/, '')}`;

/** Re-indexes one row's words in a full-text index: what the server's trigger does for each. */
const reindexRow = ({ table, columns }: FullTextIndex) =>
  `INSERT INTO ${table} (${table}, rowid, ${columns.join(', ')}) VALUES ('delete', OLD.rowid, ${columns.map((c) => `OLD.${c}`).join(', ')});\n`
  + `INSERT INTO ${table} (rowid, ${columns.join(', ')}) VALUES (NEW.rowid, ${columns.map((c) => `NEW.${c}`).join(', ')});`;

/** A trigger's statements, whitespace aside and in any order, and what comes before them. */
function triggerShape(sql: string): { head: string; body: string[] } {
  const normal = sql.replace(/\s+/g, ' ').replace(/\s*([(),;])\s*/g, '$1').trim();
  const begin = normal.indexOf(' BEGIN ');
  const body = normal.slice(begin + ' BEGIN '.length).replace(/\s*END$/, '');
  return { head: normal.slice(0, begin), body: body.split(';').filter(Boolean).sort() };
}

/** Whether a trigger is the server's update trigger as its schema writes it, for these full-text indexes. */
function isServerUpdateTrigger(sql: string, indexes: FullTextIndex[]): boolean {
  const found = triggerShape(sql);
  const expected = triggerShape(`CREATE TRIGGER ${SERVER_UPDATE_TRIGGER} AFTER UPDATE ON executions_visibility BEGIN ${indexes.map(reindexRow).join('\n')} END`);
  return found.head === expected.head && found.body.join(';') === expected.body.join(';');
}

const conditionalUpdateTrigger = (fts: FullTextIndex) =>
  `CREATE TRIGGER ${updateTriggerName(fts)} AFTER UPDATE ON executions_visibility\n`
  + `WHEN ${fts.columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}\nBEGIN\n${reindexRow(fts)}\nEND;`;

async function sqlite(dbFile: string, sql: string, json = false): Promise<string> {
  const { stdout } = await run('sqlite3', ['-bail', '-cmd', '.timeout 30000', ...(json ? ['-json'] : []), dbFile, sql]);
  return stdout;
}

/** The full-text indexes on the visibility table and their columns, and the update triggers it has. */
async function readFullText(dbFile: string): Promise<{ indexes: FullTextIndex[]; triggers: Map<string, string> }> {
  type Row = { tbl: string; col: string | null; sql: string | null };
  const answer = await sqlite(dbFile, `
    SELECT m.name AS tbl, p.name AS col, NULL AS sql FROM sqlite_master m, pragma_table_info(m.name) p
      WHERE m.type = 'table' AND m.name LIKE 'executions_visibility_fts_%' AND m.sql LIKE 'CREATE VIRTUAL TABLE%'
    UNION ALL SELECT name, NULL, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '${SERVER_UPDATE_TRIGGER}%';`, true);
  const rows: Row[] = answer.trim() ? JSON.parse(answer) : [];
  const indexes = new Map<string, string[]>();
  const triggers = new Map<string, string>();
  for (const row of rows) {
    if (row.col !== null) indexes.set(row.tbl, [...(indexes.get(row.tbl) ?? []), row.col]);
    else triggers.set(row.tbl, row.sql ?? '');
  }
  return { indexes: [...indexes].map(([table, columns]) => ({ table, columns })), triggers };
}

/**
 * The statements that put the conditional update triggers in place of the server's: only when the
 * trigger there is the server's as this module knows it, or the conditional ones from an earlier
 * start (rebuilt, in case a full-text index gained a column). Anything else is left alone.
 */
function updateTriggerSwap({ indexes, triggers }: Awaited<ReturnType<typeof readFullText>>): { sql: string } | { left: string } {
  const server = triggers.get(SERVER_UPDATE_TRIGGER);
  const ours = indexes.length > 0 && indexes.every((fts) => triggers.has(updateTriggerName(fts)));
  if (server === undefined && !ours) return { left: 'not replaced (the table has none of the server\'s)' };
  if (server !== undefined && !isServerUpdateTrigger(server, indexes)) return { left: 'left as the server wrote it (not the one this module knows)' };
  return {
    sql: [`DROP TRIGGER IF EXISTS ${SERVER_UPDATE_TRIGGER};`,
      ...indexes.flatMap((fts) => [`DROP TRIGGER IF EXISTS ${updateTriggerName(fts)};`, conditionalUpdateTrigger(fts)])].join('\n'),
  };
}

/**
 * The visibility table's own indexes as the file has them now (after a trim, the ones kept; the
 * primary key's aside), or undefined when they cannot be read (no sqlite3): for the bench's notes.
 */
export async function visibilityIndexNames(dbFile: string): Promise<string[] | undefined> {
  try {
    const names = await sqlite(dbFile, `SELECT name FROM sqlite_master WHERE type = 'index'
      AND tbl_name = 'executions_visibility' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name;`);
    return names.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}

const firstLine = (error: unknown) => String((error as { stderr?: string }).stderr || error).trim().split('\n')[0];

/** `trimmed`, or what was left as it was and why. */
export type TrimOutcome = 'trimmed' | `trimmed; ${string}` | `kept: ${string}`;

/**
 * Trims a dev server's SQLite file (idempotent: a second run changes nothing), in one transaction,
 * so that the server never sees the table without an update trigger. Runs while the server is up,
 * through SQLite's own locking; it waits for the server's connection to be between transactions.
 * Needs the `sqlite3` command. A speed-up only: when it cannot be done (no `sqlite3`, or one too
 * old to read a newer server's schema) the table stays as it is.
 */
export async function trimVisibilityIndexes(dbFile: string, aliases?: SlotAliases[]): Promise<TrimOutcome> {
  try {
    // A sqlite3 built without FTS5 cannot read the full-text tables: the indexes are trimmed all the same.
    const swap = await readFullText(dbFile).then(updateTriggerSwap,
      (error) => ({ left: `left as it is (its full-text tables unreadable: ${firstLine(error)})` }));
    await sqlite(dbFile, ['BEGIN IMMEDIATE;',
      ...unusedVisibilityIndexes(aliases).map((name) => `DROP INDEX IF EXISTS ${name};`),
      ...slotIndexPlan(aliases).keep.map(slotIndexSql),
      'sql' in swap ? swap.sql : '',
      'COMMIT;'].join('\n'));
    return 'sql' in swap ? 'trimmed' : `trimmed; update trigger ${swap.left}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'kept: no sqlite3 on PATH';
    return `kept: sqlite3 failed (${firstLine(error)})`;
  }
}
