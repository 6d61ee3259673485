// /api/worklists/{name} and /api/stats: supervisors' lists from Temporal visibility.
import { Router, type Request } from 'express';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import type { CaseStatus } from '../../domain';
import { VillageSchema } from '../../domain/schemas';
import { VILLAGES } from '../../domain/villages';
import * as keys from '../../workflows/search-attributes';
import { allow, type Principal } from '../auth';
import { toCsv } from '../csv';
import { HttpProblem, notFound } from '../problems';
import { statusCountQuery, WORKLISTS, worklistQuery } from '../worklists';

const PageQuery = z.object({
  village: VillageSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(['json', 'csv']).optional(),
});

const COLUMNS = ['caseId', 'status', 'village', 'healthCode', 'isolationEnd', 'lastAbnormalAt', 'overdueSlots', 'escalationLevel', 'policyVersion'];
const STATUSES: CaseStatus[] = ['home_isolation', 'central_isolation', 'medical_review', 'release_blocked', 'awaiting_sign_off', 'green_pass', 'closed'];

/** The villages a request may list: a caseworker's own, narrowed by ?village=. */
function villagesFor(principal: Principal, village?: string): string[] | undefined {
  if (principal.role !== 'caseworker') return village ? [village] : undefined;
  if (village && !principal.villages.includes(village)) {
    throw new HttpProblem(403, 'Forbidden', `you may list only ${principal.villages.join(', ')}`, [{ path: 'village', message: 'outside your villages' }]);
  }
  return village ? [village] : principal.villages;
}

function row(info: WorkflowExecutionInfo) {
  const sa = info.typedSearchAttributes;
  const date = (d?: Date) => d?.toISOString();
  return {
    caseId: info.workflowId,
    runId: info.runId,
    status: sa.get(keys.CaseStatus),
    village: sa.get(keys.CaseVillage),
    healthCode: sa.get(keys.CaseHealthCode),
    isolationEnd: date(sa.get(keys.CaseIsolationEnd)),
    lastAbnormalAt: date(sa.get(keys.CaseLastAbnormalAt)),
    overdueSlots: sa.get(keys.CaseOverdueSlots) ?? 0,
    escalationLevel: sa.get(keys.CaseEscalationLevel) ?? 0,
    policyVersion: sa.get(keys.CasePolicyVersion),
  };
}

function wantsCsv(req: Request, format?: string): boolean {
  return format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

export function worklistsRouter(client: Client): Router {
  const router = Router();

  router.get('/worklists', allow('caseworker', 'doctor', 'supervisor'), (_req, res) => {
    res.json({ worklists: Object.entries(WORKLISTS).map(([name, { title }]) => ({ name, title, href: `/api/worklists/${name}` })) });
  });

  router.get('/worklists/:name', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const params = PageQuery.parse(req.query);
    const villages = villagesFor(req.principal!, params.village);
    const query = worklistQuery(String(req.params.name), Date.now(), villages);
    if (!query) throw notFound('worklist');
    const skip = (params.page - 1) * params.pageSize;
    const items: ReturnType<typeof row>[] = [];
    let seen = 0;
    for await (const info of client.workflow.list({ query, pageSize: Math.min(1000, skip + params.pageSize) })) {
      if (seen++ < skip) continue;
      items.push(row(info));
      if (items.length === params.pageSize) break;
    }
    const { count } = await client.workflow.count(query);
    if (wantsCsv(req, params.format)) {
      res.type('text/csv; charset=utf-8').attachment(`${req.params.name}-page${params.page}.csv`).send(toCsv(COLUMNS, items));
      return;
    }
    res.json({ name: req.params.name, title: WORKLISTS[String(req.params.name)].title, page: params.page, pageSize: params.pageSize, total: count, items });
  });

  router.get('/stats', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const { village } = z.object({ village: VillageSchema.optional() }).parse(req.query);
    const villages = villagesFor(req.principal!, village) ?? VILLAGES.map((v) => v.id);
    const byVillage = await Promise.all(villages.map(async (village) => {
      const counts = await Promise.all(STATUSES.map(async (status) =>
        [status, (await client.workflow.count(statusCountQuery(village, status))).count] as const));
      return { village, counts: Object.fromEntries(counts) };
    }));
    res.json({ at: new Date().toISOString(), villages: byVillage });
  });

  return router;
}
