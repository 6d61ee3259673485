// The API's logs, as an operator's log collector would receive them, after requests that carry a
// returnee's identity (registration, a refused registration, a scan list, a check-in, reading the
// case back): request lines are there, names, phones, ID numbers and addresses are not. And the
// logger's own redaction, for fields a future log call might pass by mistake.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logger';
import { startApiHarness } from '../support/api-harness';
import { idCardNumber, makeIntake } from '../support/intake';

const intake = makeIntake({
  person: { name: '诸葛日志', idCardNumber: idCardNumber(), phone: '13966661234' },
  landlord: { name: '皇甫房东', phone: '13755550000', commitmentSigned: true },
  address: '日志路 404 号 2 单元',
});
const rejectedName = '慕容拒绝';
const identity = [
  intake.person.name, intake.person.phone, intake.person.idCardNumber, intake.landlord!.name, intake.landlord!.phone,
  intake.address, rejectedName,
];

let dir: string;
let logFile: string;
let h: Awaited<ReturnType<typeof startApiHarness>>;
let caseworker: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanfan-logs-'));
  logFile = join(dir, 'api.log');
  // Synchronous, so that every line is in the file when the requests have been answered.
  h = await startApiHarness({ logger: createLogger('debug', 'api', pino.destination({ dest: logFile, sync: true })) });
  caseworker = h.token({ sub: 'cw-logs', role: 'caseworker', villages: ['dafenshanyan'] });
});

afterAll(async () => {
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const logged = () => readFileSync(logFile, 'utf8');

describe('the API’s logs', () => {
  it('hold a line per request and none of the identity the requests carried', async () => {
    const post = (path: string) => request(h.app).post(path).set('Authorization', caseworker);
    const created = await post('/api/cases').send(intake);
    expect(created.status).toBe(201);
    const caseId = created.body.case.caseId;
    expect((await post('/api/cases').send(intake)).status).toBe(200);
    // Refused for its ID number, with the rest of the person in the body.
    const refused = await post('/api/cases').send({ ...intake, person: { ...intake.person, name: rejectedName, idCardNumber: '123' } });
    expect(refused.status).toBe(400);
    const csv = [
      '姓名,身份证号,手机号,来源省,来源市,交通方式,车牌,到达日期,村,住址,居住类型,房东姓名,房东电话,房东承诺书,健康码,体温',
      `${rejectedName},${intake.person.idCardNumber.slice(0, 10)},${intake.person.phone},河南省,信阳市,自驾,浙A12345,${intake.arrivalDate},大坟山沿村,${intake.address},租住,${intake.landlord!.name},${intake.landlord!.phone},是,黄码,36.5`,
    ].join('\r\n');
    const imported = await post('/api/imports').set('Content-Type', 'text/csv').send(csv);
    expect(imported.status).toBe(200);
    expect(imported.body.totals).toMatchObject({ rows: 1, rejected: 1 });
    const checkIn = await post(`/api/cases/${caseId}/check-ins`).send({ temperatureC: 36.6, symptoms: ['none'], reportedBy: 'landlord' });
    expect(checkIn.status).toBe(201);
    const read = await request(h.app).get(`/api/cases/${caseId}`).set('Authorization', caseworker);
    // The answer itself carries the person (to those allowed to see it): the log must not.
    expect(read.body.person.name).toBe(intake.person.name);

    const lines = logged().trim().split('\n').map((line) => JSON.parse(line));
    const requestLines = lines.filter((line) => line.req?.url);
    expect(requestLines.map((line) => `${line.req.method} ${line.res?.statusCode}`)).toEqual(expect.arrayContaining([
      'POST 201', 'POST 200', 'POST 400', 'GET 200',
    ]));
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    expect(requestLines.some((line) => line.req.url === `/api/cases/${caseId}/check-ins`)).toBe(true);
    const text = logged();
    for (const value of identity) expect(text, value).not.toContain(value);
    // Nor the bearer token that let the caseworker in.
    expect(text).not.toContain(caseworker.slice('Bearer '.length));
  });

  it('redact identity fields wherever a log call puts them', async () => {
    const file = join(dir, 'redaction.log');
    const logger = createLogger('info', 'api', pino.destination({ dest: file, sync: true }));
    logger.info({ intake, person: intake.person, case: { person: intake.person, landlord: intake.landlord, address: intake.address } }, 'by mistake');
    logger.info({ phone: intake.person.phone, idCardNumber: intake.person.idCardNumber, req: { headers: { authorization: caseworker } } }, 'by mistake');
    const text = readFileSync(file, 'utf8');
    expect(text.match(/\[redacted\]/g)?.length).toBe(8);
    for (const value of identity.slice(0, 6)) expect(text, value).not.toContain(value);
    expect(text).not.toContain(caseworker);
    // The fields stay, their values are replaced; the logger's own name is not a person's.
    expect(JSON.parse(text.split('\n')[0])).toMatchObject({
      name: 'api', msg: 'by mistake', intake: '[redacted]', person: '[redacted]',
      case: { person: '[redacted]', landlord: '[redacted]', address: '[redacted]' },
    });
  });
});
