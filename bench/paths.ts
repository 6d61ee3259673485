// The two ways into the case engine that the bench compares: the HTTP API, and the raw Temporal
// client doing what the API does (CaseClient.register, the checkIn update, the visibility list
// and count) with the same client, data converter and server: its updates, like the API's, go to
// the run the client remembers (infra/current-runs.ts). API − raw = the API's overhead.
import type { Client } from '@temporalio/client';
import type { CaseClient } from '../api/case-client';
import { idempotentUpdateId } from '../api/idempotency';
import type { Actor, Policy } from '../domain';
import type { CheckIn, Intake } from '../domain/schemas';
import { STATS_STATUSES, statusCountQuery, worklistQuery } from '../api/worklists';
import { VILLAGE_IDS } from '../domain/villages';
import { checkInUpdate, type CheckInAnswer } from '../workflows/definitions';
import type { JsonClient } from './http-json';

export type PathName = 'api' | 'raw';

/** No header: the API may reuse a costly count; `no-cache`: it counts afresh, as the raw client always does. */
const counting = (reuse: boolean): Record<string, string> => (reuse ? {} : { 'Cache-Control': 'no-cache' });

export interface WorklistPage { total: number; items: number }

export interface CasePath {
  name: PathName;
  register(intake: Intake): Promise<string>;
  checkIn(caseId: string, idempotencyKey: string): Promise<CheckInAnswer>;
  /** Page 1 and the total; `reuse`: the API may answer with a costly total counted a few seconds ago (the raw client counts every time). */
  worklist(name: string, options?: { reuse?: boolean }): Promise<WorklistPage>;
  /** Every village's counts by status, as /api/stats takes them; the sum of all (`reuse` as for a list). */
  stats(options?: { reuse?: boolean }): Promise<number>;
}

/** A normal morning reading, reported by the landlord. */
export const MORNING_READING: CheckIn = { temperatureC: 36.5, symptoms: ['none'], reportedBy: 'landlord' };
export const PAGE_SIZE = 50;

export function apiPath(caseworker: JsonClient, supervisor: JsonClient): CasePath {
  return {
    name: 'api',
    async register(intake) {
      const { body } = await caseworker.post<{ case: { caseId: string } }>('/api/cases', intake);
      return body.case.caseId;
    },
    async checkIn(caseId, idempotencyKey) {
      const { body } = await caseworker.post<CheckInAnswer>(`/api/cases/${caseId}/check-ins`, MORNING_READING, { 'Idempotency-Key': idempotencyKey });
      return body;
    },
    async worklist(name, { reuse = false } = {}) {
      // Unless asked otherwise, counted afresh as the raw side does: the comparison is of the same work.
      const { body } = await supervisor.get<{ total: number; items: unknown[] }>(`/api/worklists/${name}?pageSize=${PAGE_SIZE}`, counting(reuse));
      return { total: body.total, items: body.items.length };
    },
    async stats({ reuse = false } = {}) {
      const { body } = await supervisor.get<{ villages: { counts: Record<string, number> }[] }>('/api/stats', counting(reuse));
      return sum(body.villages.flatMap((village) => Object.values(village.counts)));
    },
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The first page of a visibility list (what the API's page 1 fetches). */
export async function firstPage(client: Client, query: string): Promise<number> {
  let items = 0;
  for await (const _info of client.workflow.list({ query, pageSize: PAGE_SIZE })) {
    if (++items === PAGE_SIZE) break;
  }
  return items;
}

export function rawPath(cases: CaseClient, policy: Policy, actor: Actor): CasePath {
  return {
    name: 'raw',
    async register(intake) {
      return (await cases.register(intake, policy, actor)).case.caseId;
    },
    checkIn(caseId, idempotencyKey) {
      // The API turns an Idempotency-Key into an update ID of the update, the caller, the key and the body: the same here.
      const updateId = idempotentUpdateId(checkInUpdate.name, actor.id, idempotencyKey, MORNING_READING);
      return cases.handle(caseId).executeUpdate(checkInUpdate, { args: [MORNING_READING, actor], updateId });
    },
    async worklist(name) {
      const query = worklistQuery(name, Date.now())!;
      const items = await firstPage(cases.temporal, query);
      const { count } = await cases.temporal.workflow.count(query);
      return { total: count, items };
    },
    async stats() {
      const counts = await Promise.all(VILLAGE_IDS.flatMap((village) => STATS_STATUSES.map((status) =>
        cases.temporal.workflow.count(statusCountQuery(village, status)).then((c) => c.count))));
      return sum(counts);
    },
  };
}
