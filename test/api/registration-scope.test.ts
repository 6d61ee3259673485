// A caseworker who registers an ID number that already has an open case in another village learns
// nothing of that case, through POST /api/cases or an import; the real worker and dev server.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewQuery } from '../../workflows/definitions';
import { startApiHarness } from '../support/api-harness';
import { makeIntake } from '../support/intake';
import { csvOf, row } from '../support/scan-list';

type Harness = Awaited<ReturnType<typeof startApiHarness>>;
let h: Harness;
let dafenshanyan: string;
let lanjie: string;

beforeAll(async () => {
  h = await startApiHarness();
  dafenshanyan = h.token({ sub: 'cw-01', role: 'caseworker', villages: ['dafenshanyan'] });
  lanjie = h.token({ sub: 'cw-02', role: 'caseworker', villages: ['lanjie'] });
});
afterAll(async () => h?.stop());

const register = (body: object, token: string) => request(h.app).post('/api/cases').set('Authorization', token).send(body);

describe('registering a person whose case is in another village', () => {
  it('answers 409 naming the field, with nothing of the case, and changes nothing', async () => {
    const intake = makeIntake({ village: 'dafenshanyan' });
    const first = await register(intake, dafenshanyan);
    expect(first.status).toBe(201);
    const caseId: string = first.body.case.caseId;

    const res = await register({ ...intake, village: 'lanjie', address: '兰街村 3 号' }, lanjie);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, errors: [{ path: 'person.idCardNumber', message: expect.any(String) }] });
    const text = JSON.stringify(res.body) + JSON.stringify(res.headers);
    for (const secret of [caseId, intake.person.name, intake.person.phone, intake.address]) expect(text).not.toContain(secret);

    const after = await h.cases.handle(caseId).query(caseViewQuery);
    expect(after).toMatchObject({ village: 'dafenshanyan', address: intake.address, status: 'home_isolation' });
    // The same caseworker registering it again in the case's own village still gets the case.
    expect((await register(intake, dafenshanyan)).status).toBe(200);
  });

  it('rejects the row of an import, with nothing of the case', async () => {
    const intake = makeIntake({ village: 'dafenshanyan' });
    const first = await register(intake, dafenshanyan);
    expect(first.status).toBe(201);
    const res = await request(h.app).post('/api/imports').set('Authorization', lanjie).set('Content-Type', 'text/csv')
      .send(csvOf([row({ 身份证号: intake.person.idCardNumber, 村: '兰街村', 住址: '兰街村 3 号' })]));
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ rows: 1, rejected: 1, existing: 0, created: 0 });
    expect(res.body.rows[0]).toMatchObject({ status: 'rejected', errors: [expect.objectContaining({ path: 'person.idCardNumber' })] });
    expect(JSON.stringify(res.body)).not.toContain(first.body.case.caseId);
  });
});
