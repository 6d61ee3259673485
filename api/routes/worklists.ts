// /api/worklists/{name} and /api/stats: supervisors' lists from Temporal visibility.
import { Router, type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { VillageSchema } from '../../domain/schemas';
import { VILLAGES } from '../../domain/villages';
import { DEFAULT_COUNT_REUSE_SECONDS } from '../../infra/config';
import { listPage, type VisibilityPage } from '../../infra/visibility-page';
import * as keys from '../../workflows/search-attributes';
import { allow, type Principal } from '../auth';
import { COSTLY_COUNT_MS, CostlyAnswers, wantsFresh, type CostlyAnswerOptions } from '../costly-answers';
import { csvHead, csvLines } from '../csv';
import { HttpProblem, notFound } from '../problems';
import { STATS_STATUSES, statusCountQuery, WORKLISTS, worklistQuery } from '../worklists';

const CURSOR_HELP = 'pass the nextCursor of the previous page unchanged';

/**
 * Whether a cursor can be one this API handed out: canonical base64url of a JSON object, which is
 * what Temporal's visibility stores (SQL and Elasticsearch) make their page tokens. Checked here
 * because the server answers a token it cannot read with UNKNOWN, which the client retries for
 * some 20 s before giving up.
 */
function wellFormedCursor(cursor: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return false;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return false;
  try {
    const token: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof token === 'object' && token !== null && !Array.isArray(token);
  } catch {
    return false;
  }
}

/**
 * A page's position: Temporal's own visibility page token, base64url-encoded and opaque to the
 * caller. The token marks where the last page ended (its last row's sort keys), not how many rows
 * came before it, so cases registered or leaving the list between two requests neither repeat nor
 * push others out of sight. The query stays the server's own: a cursor cannot widen a caller's scope.
 */
const CursorSchema = z.string().superRefine((cursor, ctx) => {
  if (cursor.length > 2048) ctx.addIssue({ code: 'custom', message: `too long for a cursor: ${CURSOR_HELP}` });
  else if (!wellFormedCursor(cursor)) ctx.addIssue({ code: 'custom', message: `not a cursor: ${CURSOR_HELP}` });
});

const PageQuery = z.object({
  village: VillageSchema.optional(),
  cursor: CursorSchema.optional(),
  /** Offset paging is gone; page=1 alone (the first page, as before) is still understood. */
  page: z.unknown().optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(['json', 'csv']).optional(),
}).superRefine((query, ctx) => {
  if (query.page !== undefined && (query.page !== '1' || query.cursor !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['page'], message: 'lists are paged by cursor: follow `next` (or send ?cursor= with the nextCursor of the previous page) instead of page' });
  }
});

/** Rows per visibility request of a CSV export, which streams the whole list. */
const EXPORT_PAGE_SIZE = 500;

export interface WorklistsOptions {
  /** Rows per visibility request of a CSV export (tests make it small to stream many pages). */
  exportPageSize?: number;
  /** Which totals and stats are reused, and for how long (default: those that took 50 ms or more, for 10 s). */
  countReuse?: Partial<CostlyAnswerOptions>;
}

const COLUMNS = ['caseId', 'status', 'village', 'healthCode', 'isolationEnd', 'lastAbnormalAt', 'overdueSlots', 'escalationLevel', 'policyVersion'];

/** The villages a request may list: a caseworker's own (maybe none), narrowed by ?village=; undefined is the zone. */
function villagesFor(principal: Principal, village?: string): string[] | undefined {
  if (principal.role !== 'caseworker') return village ? [village] : undefined;
  if (village && !principal.villages.includes(village)) {
    const yours = principal.villages.length > 0 ? `only ${principal.villages.join(', ')}` : 'no village';
    throw new HttpProblem(403, 'Forbidden', `you may list ${yours}`, [{ path: 'village', message: 'outside your villages' }]);
  }
  return village ? [village] : principal.villages;
}

function row(info: temporal.api.workflow.v1.IWorkflowExecutionInfo) {
  const sa = decodeTypedSearchAttributes(info.searchAttributes?.indexedFields);
  const date = (d?: Date) => d?.toISOString();
  return {
    caseId: info.execution?.workflowId ?? undefined,
    runId: info.execution?.runId ?? undefined,
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

type Row = ReturnType<typeof row>;

interface Page { items: Row[]; next?: Buffer }

const badCursor = () => new HttpProblem(400, 'Bad Request', 'the request has invalid fields',
  [{ path: 'cursor', message: `not a cursor of this list: ${CURSOR_HELP}` }]);

/** gRPC UNKNOWN and INVALID_ARGUMENT: how the server refuses a page token it cannot read (a forged one that passed wellFormedCursor). */
const REFUSED = new Set([2, 3]);

/** One page of a visibility list, read with Temporal's page token (not an offset). */
async function fetchPage(client: Client, query: string, pageSize: number, token?: Buffer): Promise<Page> {
  const list = (nextPageToken?: Buffer, size = pageSize) => listPage(client, query, size, nextPageToken);
  let page: VisibilityPage;
  try {
    page = await list(token);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (token && typeof code === 'number' && REFUSED.has(code)) {
      // Refused with the caller's token: if the same query answers without it, the token was at fault.
      const cursorAtFault = await list(undefined, 1).then(() => true, () => false);
      if (cursorAtFault) throw badCursor();
    }
    throw error;
  }
  return { items: page.executions.map(row), next: page.next };
}

/** Waits until a response may take more (or is gone): the export keeps pace with a slow reader. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The whole list from the cursor on, as CSV, streamed page by page. */
async function streamCsv(req: Request, res: Response, client: Client, name: string, query: string | undefined, token: Buffer | undefined, pageSize: number): Promise<void> {
  // The first page is read before anything is sent, so that a bad cursor or Temporal being down is a problem answer.
  let page: Page = query ? await fetchPage(client, query, pageSize, token) : { items: [] };
  res.type('text/csv; charset=utf-8').attachment(`${name}.csv`);
  res.write(csvHead(COLUMNS));
  for (;;) {
    if (page.items.length > 0 && !res.write(csvLines(COLUMNS, page.items))) await drained(res);
    if (!page.next || !query || res.destroyed) break;
    try {
      page = await fetchPage(client, query, pageSize, page.next);
    } catch (error) {
      // Too late for a problem answer: end the transfer unfinished, so that the client sees it broke off.
      req.log?.error({ err: { type: (error as Error)?.name, stack: (error as Error)?.stack } }, 'worklist export broke off');
      res.destroy();
      return;
    }
  }
  res.end();
}

function wantsCsv(req: Request, format?: string): boolean {
  return format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

export function worklistsRouter(client: Client, options: WorklistsOptions = {}): Router {
  const exportPageSize = options.exportPageSize ?? EXPORT_PAGE_SIZE;
  const counts = new CostlyAnswers({ reuseMs: DEFAULT_COUNT_REUSE_SECONDS * 1000, minCostMs: COSTLY_COUNT_MS, ...options.countReuse });
  const router = Router();

  router.get('/worklists', allow('caseworker', 'doctor', 'supervisor'), (_req, res) => {
    res.json({ worklists: Object.entries(WORKLISTS).map(([name, { title }]) => ({ name, title, href: `/api/worklists/${name}` })) });
  });

  router.get('/worklists/:name', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const name = String(req.params.name);
    if (!Object.hasOwn(WORKLISTS, name)) throw notFound('worklist');
    const params = PageQuery.parse(req.query);
    const villages = villagesFor(req.principal!, params.village);
    const token = params.cursor === undefined ? undefined : Buffer.from(params.cursor, 'base64url');
    // A caseworker with no village sees no case: nothing to ask visibility (as /api/stats lists no village).
    const query = villages?.length === 0 ? undefined : worklistQuery(name, Date.now(), villages);
    if (wantsCsv(req, params.format)) return streamCsv(req, res, client, name, query, token, exportPageSize);
    const fresh = wantsFresh(req.get('cache-control'));
    const [page, total] = query
      ? await Promise.all([fetchPage(client, query, params.pageSize, token),
        counts.get(`list ${query}`, () => client.workflow.count(query).then((c) => c.count), { fresh })])
      : [{ items: [] } as Page, { value: 0, at: Date.now() }];
    const nextCursor = page.next?.toString('base64url') ?? null;
    const search = (cursor: string) => new URLSearchParams({ ...(params.village ? { village: params.village } : {}), pageSize: String(params.pageSize), cursor });
    const next = nextCursor === null ? null : `${req.baseUrl}/worklists/${name}?${search(nextCursor)}`;
    if (next) res.links({ next });
    res.json({
      name, title: WORKLISTS[name].title, pageSize: params.pageSize, total: total.value, totalAsOf: new Date(total.at).toISOString(),
      items: page.items, nextCursor, next,
    });
  });

  router.get('/stats', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const { village } = z.object({ village: VillageSchema.optional() }).parse(req.query);
    const villages = villagesFor(req.principal!, village) ?? VILLAGES.map((v) => v.id);
    const countVillages = () => Promise.all(villages.map(async (village) => {
      const byStatus = await Promise.all(STATS_STATUSES.map(async (status) =>
        [status, (await client.workflow.count(statusCountQuery(village, status))).count] as const));
      return { village, counts: Object.fromEntries(byStatus) };
    }));
    // Seven counts a village: together as costly as a list over the whole zone, so reused alike.
    const stats = await counts.get(`stats ${villages.join(',')}`, countVillages, { fresh: wantsFresh(req.get('cache-control')) });
    res.json({ at: new Date(stats.at).toISOString(), villages: stats.value });
  });

  return router;
}
