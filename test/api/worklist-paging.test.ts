// Worklist paging by cursor, against a real worker and the real Temporal dev server: a list read
// page by page while cases join and leave it shows each case that stayed on it exactly once; a
// malformed cursor is refused field by field; the CSV export streams every page; a costly total
// is reused for a few seconds, and counted afresh on request; a caseworker token without villages
// lists nothing (and no 500).
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { problemHandler } from '../../api/problems';
import { worklistsRouter } from '../../api/routes/worklists';
import { startApiHarness } from '../support/api-harness';
import { makeIntake } from '../support/intake';
import { eventually } from '../support/eventually';

type Harness = Awaited<ReturnType<typeof startApiHarness>>;
let h: Harness;
let supervisor: string;
let noVillages: string;

beforeAll(async () => {
  h = await startApiHarness();
  supervisor = h.token({ sub: 'sup-paging', role: 'supervisor', villages: [] });
  noVillages = h.token({ sub: 'cw-none', role: 'caseworker', villages: [] });
});
afterAll(async () => h?.stop());

// jingding, whose home isolations few other test files touch; they may still add some at any moment.
const VILLAGE = 'jingding';
const LIST = `/api/worklists/home-isolation?village=${VILLAGE}`;
type Item = { caseId: string; village: string };
const idsOf = (res: request.Response): string[] => (res.body.items as Item[]).map((i) => i.caseId);
const get = (path: string, token = supervisor) => request(h.app).get(path).set('Authorization', token);

const register = async (): Promise<string> => {
  const res = await request(h.app).post('/api/cases').set('Authorization', supervisor)
    .send(makeIntake({ village: VILLAGE, address: '荆顶村 3 组 8 号' })).expect(201);
  return res.body.case.caseId;
};

/** Until the list's first 500 show all of `present` and none of `gone` (visibility is eventually consistent). */
async function listed(present: string[], gone: string[] = []): Promise<void> {
  const res = await eventually(() => get(`${LIST}&pageSize=500`), (r) => {
    const ids = new Set(idsOf(r));
    return present.every((id) => ids.has(id)) && gone.every((id) => !ids.has(id));
  });
  const ids = new Set(idsOf(res));
  expect(present.filter((id) => !ids.has(id)), 'not yet listed').toEqual([]);
  expect(gone.filter((id) => ids.has(id)), 'still listed').toEqual([]);
}

describe('worklist paging by cursor', () => {
  let ours: string[] = [];
  let firstPage: request.Response;

  it('shows every case that stayed on the list exactly once while others join and leave between pages', { timeout: 60_000 }, async () => {
    // One after another: each a later start, so the list (newest first) holds them in order.
    for (let i = 0; i < 7; i++) ours.push(await register());
    await listed(ours);

    const pages: request.Response[] = [];
    firstPage = await get(`${LIST}&pageSize=3`).expect(200);
    pages.push(firstPage);
    expect(firstPage.body).toMatchObject({ name: 'home-isolation', pageSize: 3, nextCursor: expect.any(String) });
    expect(firstPage.body.items).toHaveLength(3);
    expect(firstPage.body.total).toBeGreaterThanOrEqual(ours.length);
    expect(firstPage.body.next).toBe(`/api/worklists/home-isolation?${new URLSearchParams({ village: VILLAGE, pageSize: '3', cursor: firstPage.body.nextCursor })}`);
    expect(firstPage.headers.link).toBe(`<${firstPage.body.next}>; rel="next"`);
    expect(firstPage.body).not.toHaveProperty('page');

    // A case joins the list at its head: an offset would show the first page's last item again.
    const joined = await register();
    await listed([joined]);
    pages.push(await get(pages.at(-1)!.body.next).expect(200));

    // Two cases already shown leave the list (one closed, one moved to another village): an
    // offset would now step over two that were never shown.
    const shown = new Set(pages.flatMap(idsOf));
    const leaving = [...ours.filter((id) => shown.has(id)), ...ours.filter((id) => !shown.has(id))].slice(0, 2);
    await request(h.app).post(`/api/cases/${leaving[0]}/close`).set('Authorization', supervisor).send({ reason: 'left_zone' }).expect(200);
    await request(h.app).post(`/api/cases/${leaving[1]}/transfer`).set('Authorization', supervisor)
      .send({ village: 'dafenshanyan', address: '大坟山沿村 5 幢', reason: '换租' }).expect(200);
    await listed([], leaving);

    // The rest by `next`, until every case that stayed has shown up or the list ends.
    const stayed = ours.filter((id) => !leaving.includes(id));
    const seen = () => new Set(pages.flatMap(idsOf));
    while (pages.at(-1)!.body.next && !stayed.every((id) => seen().has(id)) && pages.length < 200) {
      pages.push(await get(pages.at(-1)!.body.next).expect(200));
    }

    const all = pages.flatMap(idsOf);
    expect(all.filter((id, i) => all.indexOf(id) !== i), 'shown twice').toEqual([]);
    expect(stayed.filter((id) => !all.includes(id)), 'never shown').toEqual([]);
    // It joined ahead of the first page's cursor: a fresh first page shows it, the later pages do not.
    expect(all).not.toContain(joined);
    expect(pages.every((page) => page.body.items.every((i: Item) => i.village === VILLAGE))).toBe(true);
    ours = stayed;
  });

  it('refuses a malformed cursor with a 400 naming the field, and offset pages with one naming cursor', async () => {
    const fieldsOf = (res: request.Response) => {
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      return (res.body.errors as { path: string; message: string }[]);
    };
    // Well-formed base64url, but of no page token: refused before the server sees it.
    const garbage = Buffer.from('not a page token').toString('base64url');
    const truncated = firstPage.body.nextCursor.slice(0, -6);
    for (const cursor of ['not*base64', '', 'a', 'x'.repeat(3000), garbage, Buffer.from('[1]').toString('base64url'), truncated]) {
      expect(fieldsOf(await get(`${LIST}&cursor=${encodeURIComponent(cursor)}`)), cursor.slice(0, 20)).toEqual([
        { path: 'cursor', message: expect.stringMatching(/cursor/) },
      ]);
    }
    expect(fieldsOf(await get(`${LIST}&cursor=a&cursor=b`)).map((e) => e.path)).toEqual(['cursor']);
    // The same garbage as CSV: refused before anything is streamed.
    expect(fieldsOf(await get(`${LIST}&format=csv&cursor=${garbage}`)).map((e) => e.path)).toEqual(['cursor']);

    for (const page of ['2', '0', 'abc']) {
      expect(fieldsOf(await get(`${LIST}&page=${page}`))).toEqual([{ path: 'page', message: expect.stringMatching(/cursor/) }]);
    }
    expect(fieldsOf(await get(`${LIST}&page=1&cursor=${firstPage.body.nextCursor}`)).map((e) => e.path)).toEqual(['page']);
    // page=1 alone is still the first page.
    const one = await get(`${LIST}&page=1&pageSize=3`).expect(200);
    expect(one.body.items).toHaveLength(3);
  });

  it('exports the whole list as CSV, streamed page by page, from a cursor when given', async () => {
    // The app's router, with 2 rows per visibility request: the export must follow many page tokens.
    const principal: Principal = { sub: 'sup-export', role: 'supervisor', villages: [] };
    const app = express()
      .use((req, _res, next) => { req.principal = principal; next(); })
      .use('/api', worklistsRouter(h.cases.temporal, { exportPageSize: 2 }))
      .use(problemHandler(pino({ level: 'silent' })));
    const rows = (res: request.Response) => res.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);

    const csv = await request(app).get(`${LIST}&format=csv&pageSize=1`).expect(200);
    expect(csv.type).toBe('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename=home-isolation.csv');
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFcaseId,status,village,healthCode,isolationEnd,lastAbnormalAt,overdueSlots,escalationLevel,policyVersion');
    expect(csv.text.endsWith('\r\n')).toBe(true);
    const ids = rows(csv);
    expect(ids.length).toBeGreaterThan(2);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'exported twice').toEqual([]);
    expect(ours.filter((id) => !ids.includes(id)), 'not exported').toEqual([]);

    // From the first page's cursor: the rest of the list, without the first page.
    const rest = rows(await request(app).get(`${LIST}&cursor=${firstPage.body.nextCursor}`).set('Accept', 'text/csv').expect(200));
    expect(rest.filter((id) => idsOf(firstPage).includes(id))).toEqual([]);
    expect(ours.filter((id) => !idsOf(firstPage).includes(id) && !rest.includes(id))).toEqual([]);

    // The app's own export (500 rows a request) has the same cases.
    const whole = rows(await get(`${LIST}&format=csv`).expect(200));
    expect(ours.filter((id) => !whole.includes(id))).toEqual([]);
  });
});

describe('a costly total', () => {
  it('is reused for a few seconds with the time it was counted, and counted afresh when the request says no-cache', { timeout: 60_000 }, async () => {
    // Every count here is cheap; a router that takes any count for costly shows what the zone's large ones do.
    const principal: Principal = { sub: 'sup-reuse', role: 'supervisor', villages: [] };
    const app = express()
      .use((req, _res, next) => { req.principal = principal; next(); })
      .use('/api', worklistsRouter(h.cases.temporal, { countReuse: { minCostMs: 0, reuseMs: 60_000 } }))
      .use(problemHandler(pino({ level: 'silent' })));
    const list = (fresh = false) => request(app).get(`${LIST}&pageSize=1`).set(fresh ? { 'Cache-Control': 'no-cache' } : {}).expect(200);
    const stats = (fresh = false) => request(app).get(`/api/stats?village=${VILLAGE}`).set(fresh ? { 'Cache-Control': 'no-cache' } : {}).expect(200);

    const counted = await list(true);
    const countedStats = await stats(true);
    expect(Date.parse(counted.body.totalAsOf)).toBeLessThanOrEqual(Date.now());
    const added = await register();
    await listed([added]);
    // The new case is on the list's pages at once; the total is the one counted before it came.
    const reused = await list();
    expect(reused.body).toMatchObject({ total: counted.body.total, totalAsOf: counted.body.totalAsOf });
    expect((await stats()).body).toEqual(countedStats.body);
    // Afresh: it counts the new case (and any that another test file added meanwhile), as of a later time.
    const recounted = await list(true);
    expect(recounted.body.total).toBeGreaterThan(counted.body.total);
    expect(Date.parse(recounted.body.totalAsOf)).toBeGreaterThan(Date.parse(counted.body.totalAsOf));
    const restated = await eventually(() => stats(true), (res) => res.body.villages[0].counts.home_isolation > countedStats.body.villages[0].counts.home_isolation);
    expect(Date.parse(restated.body.at)).toBeGreaterThan(Date.parse(countedStats.body.at));
  });
});

describe('a caseworker token without villages', () => {
  it('lists no case, with zero totals, as /api/stats lists no village; never a 500', async () => {
    for (const name of ['overdue', 'pending-isolations', 'home-isolation', 'closed']) {
      const res = await get(`/api/worklists/${name}`, noVillages);
      expect(res.status, name).toBe(200);
      expect(res.body).toMatchObject({ name, items: [], total: 0, nextCursor: null, next: null });
    }
    const csv = await get('/api/worklists/overdue?format=csv', noVillages).expect(200);
    expect(csv.text).toBe('\uFEFFcaseId,status,village,healthCode,isolationEnd,lastAbnormalAt,overdueSlots,escalationLevel,policyVersion\r\n');
    const stats = await get('/api/stats', noVillages).expect(200);
    expect(stats.body.villages).toEqual([]);
    // Naming a village is asking for one outside the token's: refused, as for any caseworker.
    const other = await get('/api/worklists/overdue?village=jingding', noVillages);
    expect(other.status).toBe(403);
    expect(other.body.detail).toBe('you may list no village');
  });
});
