// Supervisors' lists as Temporal visibility queries over the case search attributes.
import type { CaseStatus } from '../domain';
import { addDays, atLocalMinutes, HOUR_MS, localDateOf } from '../domain/time';
import { CASE_WORKFLOW } from '../workflows/definitions';

const ISOLATED = ['home_isolation', 'central_isolation', 'medical_review', 'release_blocked', 'awaiting_sign_off'];
const quote = (value: string) => `'${value.replace(/['\\]/g, '')}'`;
const list = (values: string[]) => `(${values.map(quote).join(', ')})`;
const time = (epochMs: number) => quote(new Date(epochMs).toISOString());

type Filter = (now: number) => string;

function endingOn(dayOffset: number): Filter {
  return (now) => {
    const date = addDays(localDateOf(now), dayOffset);
    const from = atLocalMinutes(date, 0);
    const to = atLocalMinutes(addDays(date, 1), 0);
    return `CaseStatus IN ${list(ISOLATED)} AND CaseIsolationEnd >= ${time(from)} AND CaseIsolationEnd < ${time(to)}`;
  };
}

export const WORKLISTS: Record<string, { title: string; filter: Filter; closed?: boolean }> = {
  'pending-isolations': { title: '在管隔离（居家与集中）', filter: () => `CaseStatus IN ${list(ISOLATED)}` },
  'home-isolation': { title: '居家隔离', filter: () => `CaseStatus = 'home_isolation'` },
  'central-isolation': { title: '集中医学隔离', filter: () => `CaseStatus = 'central_isolation'` },
  overdue: { title: '打卡逾期', filter: () => 'CaseOverdueSlots > 0' },
  abnormal: { title: '近 48 小时异常打卡', filter: (now) => `CaseLastAbnormalAt >= ${time(now - 48 * HOUR_MS)}` },
  'medical-review': { title: '待医生复核', filter: () => `CaseStatus = 'medical_review'` },
  'ending-today': { title: '今日期满', filter: endingOn(0) },
  'ending-tomorrow': { title: '明日期满', filter: endingOn(1) },
  'ready-for-release': { title: '待督导签字解除', filter: () => `CaseStatus = 'awaiting_sign_off'` },
  'release-blocked': { title: '期满未解除', filter: () => `CaseStatus = 'release_blocked'` },
  'green-pass': { title: '绿卡通行', filter: () => `CaseStatus = 'green_pass'` },
  closed: { title: '已结案', filter: () => `CaseStatus = 'closed'`, closed: true },
};

/** The full visibility query for a list, limited to some villages (undefined: the whole zone; []: none). */
export function worklistQuery(name: string, now: number, villages?: string[]): string | undefined {
  if (!Object.hasOwn(WORKLISTS, name)) return undefined;
  const worklist = WORKLISTS[name];
  const execution = worklist.closed ? `ExecutionStatus = 'Completed'` : `ExecutionStatus = 'Running'`;
  // No village at all (a caseworker token that lists none) matches no case: `IN ()` is not valid syntax.
  const scope = villages ? ` AND CaseVillage IN ${villages.length > 0 ? list(villages) : "('')"}` : '';
  return `WorkflowType = ${quote(CASE_WORKFLOW)} AND ${execution} AND ${worklist.filter(now)}${scope}`;
}

/** A person's cases under one ID: the current one and the closed earlier ones, not the continued runs. */
export function caseRunsQuery(caseId: string): string {
  return `WorkflowId = ${quote(caseId)} AND ExecutionStatus != 'ContinuedAsNew'`;
}

/** Open cases (optionally of one village) that do not yet follow a policy version. */
export function notOnPolicyQuery(version: string, village?: string): string {
  const scope = village ? ` AND CaseVillage = ${quote(village)}` : '';
  return `WorkflowType = ${quote(CASE_WORKFLOW)} AND ExecutionStatus = 'Running' AND CasePolicyVersion != ${quote(version)}${scope}`;
}

/** What /api/stats counts in each village. */
export const STATS_STATUSES: CaseStatus[] = ['home_isolation', 'central_isolation', 'medical_review', 'release_blocked', 'awaiting_sign_off', 'green_pass', 'closed'];

/** Cases of one village in one status (closed cases are completed runs; the rest are running). */
export function statusCountQuery(village: string, status: string): string {
  const execution = status === 'closed' ? 'Completed' : 'Running';
  return `WorkflowType = ${quote(CASE_WORKFLOW)} AND ExecutionStatus = '${execution}' AND CaseVillage = ${quote(village)} AND CaseStatus = ${quote(status)}`;
}
