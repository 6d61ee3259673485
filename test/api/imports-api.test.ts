// POST /api/imports against a real worker and the real Temporal dev server, on a small app of its
// own: bearer auth, the route, and problem+json errors.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import ExcelJS from 'exceljs';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../api/auth';
import { CaseClient } from '../../api/case-client';
import { toCsv } from '../../api/csv';
import { problemHandler } from '../../api/problems';
import { importsRouter } from '../../api/routes/imports';
import { caseIdFor } from '../../infra/case-id';
import { freePort } from '../../infra/dev-server';
import { policyByVersion } from '../../domain/policy';
import { caseViewQuery } from '../../workflows/definitions';
import { startApiHarness } from '../support/api-harness';
import { idCardNumber } from '../support/intake';
import { testSecrets } from '../support/keys';
import { COLUMNS, csvOf, row, type Row } from '../support/scan-list';

type Harness = Awaited<ReturnType<typeof startApiHarness>>;
let h: Harness;
let app: express.Express;
let caseworker: string;
let lanjieCaseworker: string;
let supervisor: string;
let doctor: string;

/** The route on an app of its own, as api/app.ts would mount it. */
function importsApp(cases: CaseClient): express.Express {
  return express()
    .use('/api', authenticate(testSecrets.tokenSecret))
    .use('/api/imports', importsRouter(cases, policyByVersion('2026.1')))
    .use(problemHandler(pino({ level: 'silent' })));
}

beforeAll(async () => {
  h = await startApiHarness();
  app = importsApp(h.cases);
  caseworker = h.token({ sub: 'cw-01', role: 'caseworker', villages: ['dafenshanyan'] });
  lanjieCaseworker = h.token({ sub: 'cw-02', role: 'caseworker', villages: ['lanjie'] });
  supervisor = h.token({ sub: 'sup-01', role: 'supervisor', villages: [] });
  doctor = h.token({ sub: 'dr-01', role: 'doctor', villages: [] });
});
afterAll(async () => h?.stop());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const upload = (body: Buffer, token = caseworker, type = 'text/csv') =>
  request(app).post('/api/imports').set('Authorization', token).set('Content-Type', type).send(body);

/** The sheet row of the i-th (0-based) data row of a csvOf file: its header is row 1. */
const sheetRow = (i: number) => i + 2;

const ndjson = (res: request.Response) => (res.body as string).trim().split('\n').map((line) => JSON.parse(line));

async function existingRunId(idCard: string): Promise<string> {
  return (await h.client.workflow.getHandle(caseIdFor(idCard, testSecrets.caseIdKey)).describe()).runId;
}

async function expectNoCase(idCard: string) {
  await expect(h.client.workflow.getHandle(caseIdFor(idCard, testSecrets.caseIdKey)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}

describe('importing a CSV scan list', () => {
  const good = [row(), row({ 健康码: '绿码', 居住类型: '自有', 房东姓名: '', 房东电话: '', 房东承诺书: '', 交通方式: '火车', 车牌: '', 车次航班: 'G1234' })];
  const badPhone = row({ 手机号: '12345' });
  const badId = row({ 身份证号: '110105194912310021', 体温: '' });
  const file = csvOf([good[0], badPhone, good[1], badId]);
  let caseIds: string[];

  it('registers the good rows and rejects the bad ones with field paths, echoing no personal data', async () => {
    const res = await upload(file);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ rows: 4, created: 2, existing: 0, rejected: 2, failed: 0 });
    expect(res.body.rows.map((r: { row: number; status: string }) => [r.row, r.status]))
      .toEqual([[sheetRow(0), 'created'], [sheetRow(1), 'rejected'], [sheetRow(2), 'created'], [sheetRow(3), 'rejected']]);
    expect(res.body.rows[1].errors).toEqual([{ path: 'person.phone', column: '手机号', message: expect.any(String) }]);
    expect(res.body.rows[3].errors.map((e: { path: string }) => e.path)).toEqual(['person.idCardNumber', 'temperatureC']);
    caseIds = [res.body.rows[0].caseId, res.body.rows[2].caseId];
    expect(caseIds).toEqual(good.map((r) => caseIdFor(r.身份证号, testSecrets.caseIdKey)));
    for (const secret of ['张伟', '李建国', '13812345678', '12345', good[0].身份证号, badPhone.身份证号]) {
      expect(res.text).not.toContain(secret);
    }
    await expectNoCase(badPhone.身份证号);
    const green = await h.cases.handle(caseIds[1]).describe();
    expect(green.status.name).toBe('RUNNING');
  });

  it('imported again, answers "existing" for the same cases and starts no new run', async () => {
    const runIds = await Promise.all(good.map((r) => existingRunId(r.身份证号)));
    const res = await upload(file, supervisor);
    expect(res.body.totals).toEqual({ rows: 4, created: 0, existing: 2, rejected: 2, failed: 0 });
    expect(res.body.rows.filter((r: { status: string }) => r.status === 'existing').map((r: { caseId: string }) => r.caseId)).toEqual(caseIds);
    expect(await Promise.all(good.map((r) => existingRunId(r.身份证号)))).toEqual(runIds);
  });

  it('accepts the file as a multipart/form-data field named "file"', async () => {
    const person = row();
    const res = await request(app).post('/api/imports').set('Authorization', caseworker)
      .field('note', 'ignored').attach('file', csvOf([person]), { filename: '扫码名单.csv', contentType: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([{ row: sheetRow(0), status: 'created', caseId: caseIdFor(person.身份证号, testSecrets.caseIdKey) }]);
    const noFile = await request(app).post('/api/imports').set('Authorization', caseworker).field('other', 'x');
    expect(noFile.status).toBe(400);
  });
});

describe('importing an XLSX scan list', () => {
  it('reads the first worksheet, with English headers, typed cells and a title row above the header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('扫码名单');
    sheet.addRow(['2026-02-10 扫码名单']);
    sheet.addRow(['name', 'idCardNumber', 'phone', 'province', 'city', 'travelTrail', 'transportMode', 'transportNumber', 'arrivalDate',
      'village', 'address', 'residence', 'landlordName', 'landlordPhone', 'landlordSigned', 'healthCode', 'temperatureC']);
    const people = [idCardNumber(), idCardNumber()];
    for (const [i, id] of people.entries()) {
      sheet.addRow(['李四', id, 13812345678, '湖北省', '武汉市', '湖北省武汉市@2026-02-08', 'flight', 'MU5401', new Date('2026-02-10T00:00:00Z'),
        i === 0 ? 'jingding' : '兰街村', '荆顶村 3 号', 'renter', '王五', 13900001111, true, 'red', 37.6]);
    }
    const file = Buffer.from(await workbook.xlsx.writeBuffer() as ArrayBuffer);
    const res = await upload(file, supervisor, XLSX);
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 2, created: 2 });
    const view = await h.cases.handle(res.body.rows[1].caseId).query(caseViewQuery);
    expect(view).toMatchObject({ village: 'lanjie', healthCode: 'red' });
  });
});

describe('village scoping', () => {
  it('rejects, per row, a caseworker’s rows of another village, and starts nothing for them', async () => {
    const mine = row({ 村: '兰街村', 住址: '兰街村 8 号' });
    const theirs = row();
    const res = await upload(csvOf([mine, theirs]), lanjieCaseworker);
    expect(res.body.rows).toEqual([
      { row: sheetRow(0), status: 'created', caseId: caseIdFor(mine.身份证号, testSecrets.caseIdKey) },
      { row: sheetRow(1), status: 'rejected', errors: [{ path: 'village', column: '村', message: 'outside your villages' }] },
    ]);
    await expectNoCase(theirs.身份证号);
  });

  it('is for caseworkers and supervisors only', async () => {
    expect((await upload(csvOf([row()]), doctor)).status).toBe(403);
    expect((await request(app).post('/api/imports').set('Content-Type', 'text/csv').send(csvOf([row()]))).status).toBe(401);
  });
});

describe('streaming progress as NDJSON', () => {
  it('writes a start line, a line per row as it completes, and a summary', async () => {
    const rows = [...Array.from({ length: 10 }, () => row()), row({ 健康码: '蓝码' })];
    const res = await upload(csvOf(rows)).set('Accept', 'application/x-ndjson').buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => { text += chunk; });
        stream.on('end', () => done(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = ndjson(res);
    expect(lines[0]).toEqual({ type: 'start', rows: 11, ignoredColumns: [] });
    const rowLines = lines.slice(1, -1);
    expect(rowLines).toHaveLength(11);
    expect(rowLines.every((l) => l.type === 'row')).toBe(true);
    expect(rowLines.map((l) => l.row).sort((a, b) => a - b)).toEqual(rows.map((_, i) => sheetRow(i)));
    expect(rowLines.find((l) => l.row === sheetRow(rows.length - 1))).toMatchObject({ status: 'rejected', errors: [{ path: 'healthCode', column: '健康码' }] });
    expect(lines.at(-1)).toEqual({ type: 'summary', totals: { rows: 11, created: 10, existing: 0, rejected: 1, failed: 0 } });
  });
});

describe('when Temporal is unreachable', () => {
  it('reports the rows as failed, and stops attempting rows after the first failure', async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    const cases = new CaseClient({ client: new Client({ connection, namespace: 'default' }), taskQueue: 'nowhere', caseIdKey: testSecrets.caseIdKey });
    const res = await request(importsApp(cases)).post('/api/imports').set('Authorization', supervisor).set('Content-Type', 'text/csv')
      .send(csvOf(Array.from({ length: 12 }, () => row())));
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual({ rows: 12, created: 0, existing: 0, rejected: 0, failed: 12 });
    const messages = res.body.rows.map((r: { errors: { message: string }[] }) => r.errors[0].message);
    expect(messages[0]).toMatch(/Temporal is unreachable/);
    expect(messages.at(-1)).toMatch(/^not attempted/);
  });
});

describe('files that cannot be imported', () => {
  it('answers 415 for other content types', async () => {
    const res = await upload(Buffer.from('姓名\n张伟'), caseworker, 'text/plain');
    expect(res.status).toBe(415);
    expect(res.type).toBe('application/problem+json');
  });

  it('answers 400 problem+json for no header, a non-UTF-8 file, a missing column, and an empty file', async () => {
    const noHeader = Buffer.from(toCsv(COLUMNS, [row()]).split('\r\n').slice(1).join('\r\n'));
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a]);
    const missingColumn = Buffer.from('姓名,手机号\r\n张伟,13812345678\r\n');
    for (const body of [noHeader, gbk, missingColumn]) {
      const res = await upload(body);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.text).not.toContain('13812345678');
    }
    expect((await upload(Buffer.alloc(0))).status).toBe(400);
  });
});
