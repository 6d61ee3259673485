// HTTP edges of the API, against a real worker and the real Temporal dev server: actions on a
// closed case, requests without a body, media types, problem titles, and the order of
// authentication and body parsing.
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness } from '../support/api-harness';
import { makeIntake } from '../support/intake';
import { eventually } from '../support/eventually';

type Harness = Awaited<ReturnType<typeof startApiHarness>>;
let h: Harness;
let server: Server;
let caseworker: string;
let otherVillage: string;
let supervisor: string;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

beforeAll(async () => {
  h = await startApiHarness();
  server = await new Promise<Server>((resolve) => { const s = h.app.listen(0, '127.0.0.1', () => resolve(s)); });
  caseworker = h.token({ sub: 'cw-edges', role: 'caseworker', villages: ['dafenshanyan'] });
  otherVillage = h.token({ sub: 'cw-edges-2', role: 'caseworker', villages: ['lanjie'] });
  supervisor = h.token({ sub: 'sup-edges', role: 'supervisor', villages: [] });
});
afterAll(async () => {
  await new Promise<void>((resolve) => { if (!server) resolve(); else { server.close(() => resolve()); server.closeAllConnections(); } });
  await h?.stop();
});

function expectProblem(res: Response, status: number, title?: string) {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status, ...(title ? { title } : {}) } });
  expect(res.type).toBe('application/problem+json');
}

async function newCase(token = caseworker): Promise<string> {
  const res = await request(h.app).post('/api/cases').set('Authorization', token).send(makeIntake());
  expect(res.status).toBe(201);
  return res.body.case.caseId;
}

/**
 * One request written byte for byte (no Content-Length unless given), and its status and JSON body:
 * the way to send a POST with no body at all, which Node's client would give a Content-Length: 0.
 */
function rawRequest(head: string[], body = ''): Promise<{ status: number; body: Record<string, unknown> }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { text += chunk; });
    socket.on('error', reject);
    socket.on('end', () => {
      const [headers, payload] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
      resolve({ status: Number(headers.split(' ')[1]), body: payload ? JSON.parse(payload) : {} });
    });
    socket.write([...head, 'Host: 127.0.0.1', 'Connection: close', '', body].join('\r\n'));
  });
}

describe('actions on a closed case', () => {
  let caseId: string;
  let closedRun: string;
  beforeAll(async () => {
    caseId = await newCase();
    await request(h.app).post(`/api/cases/${caseId}/close`).set('Authorization', caseworker).send({ reason: 'left_zone' }).expect(200);
    const handle = h.client.workflow.getHandle(caseId);
    const described = await eventually(() => handle.describe(), (d) => d.status.name === 'COMPLETED');
    expect(described.status.name).toBe('COMPLETED');
    closedRun = described.runId;
  });

  const actions: [string, object, string?][] = [
    ['check-ins', { temperatureC: 36.6, symptoms: ['none'], reportedBy: 'landlord' }],
    ['notes', { text: '已离开' }],
    ['close', { reason: 'duplicate' }],
    ['visits', { outcome: 'cooperative' }],
  ];

  it('answers 409 “case … is closed” to its village and the zone roles, while GET still answers 200', async () => {
    expect((await request(h.app).get(`/api/cases/${caseId}`).set('Authorization', caseworker)).body).toMatchObject({ status: 'closed' });
    for (const [path, body] of actions) {
      const res = await request(h.app).post(`/api/cases/${caseId}/${path}`).set('Authorization', caseworker).send(body);
      expectProblem(res, 409, 'Conflict');
      expect(res.body.detail).toBe(`case ${caseId} is closed (left_zone)`);
    }
    const bySupervisor = await request(h.app).post(`/api/cases/${caseId}/notes`).set('Authorization', supervisor).send({ text: '复核' });
    expectProblem(bySupervisor, 409);
    const policy = await request(h.app).post(`/api/cases/${caseId}/policy`).set('Authorization', supervisor).send({ version: '2026.2' });
    expectProblem(policy, 409);
    const signOff = await request(h.app).post(`/api/cases/${caseId}/release-sign-off`).set('Authorization', supervisor).send({});
    expectProblem(signOff, 409);
  });

  it('is still a 404 for another village’s caseworker and for an unknown case', async () => {
    const hidden = await request(h.app).post(`/api/cases/${caseId}/notes`).set('Authorization', otherVillage).send({ text: 'x' });
    expectProblem(hidden, 404);
    expect(hidden.body.detail).toBe('no such case');
    const unknown = await request(h.app).post('/api/cases/sf-aaaaaaaaaaaaaaaaaaaa/notes').set('Authorization', supervisor).send({ text: 'x' });
    expectProblem(unknown, 404);
    const unknownRun = await request(h.app).post(`/api/cases/${caseId}/notes?run=00000000-0000-4000-8000-000000000000`)
      .set('Authorization', supervisor).send({ text: 'x' });
    expectProblem(unknownRun, 404);
  });

  it('answers 409 for the closed run named by ?run= after the person was registered again', async () => {
    const intake = makeIntake();
    const first = (await request(h.app).post('/api/cases').set('Authorization', caseworker).send(intake)).body.case.caseId as string;
    await request(h.app).post(`/api/cases/${first}/close`).set('Authorization', caseworker).send({ reason: 'left_zone' }).expect(200);
    const oldRun = (await eventually(() => h.client.workflow.getHandle(first).describe(), (d) => d.status.name === 'COMPLETED')).runId;
    const again = await request(h.app).post('/api/cases').set('Authorization', caseworker).send(intake);
    expect(again.status).toBe(201);
    const old = await request(h.app).post(`/api/cases/${first}/notes?run=${oldRun}`).set('Authorization', caseworker).send({ text: 'x' });
    expectProblem(old, 409);
    const current = await request(h.app).post(`/api/cases/${first}/notes`).set('Authorization', caseworker).send({ text: 'x' });
    expect(current.status).toBe(200);
    expect(closedRun).toBeTruthy();
  });
});

describe('requests without a body', () => {
  let caseId: string;
  beforeAll(async () => { caseId = await newCase(); });

  it('are no media-type problem where the body is optional (Content-Length: 0)', async () => {
    // Not awaiting sign-off: the case itself refuses (409), so the request reached it.
    const signOff = await request(h.app).post(`/api/cases/${caseId}/release-sign-off`).set('Authorization', supervisor);
    expectProblem(signOff, 409);
    expect(signOff.body.detail).not.toMatch(/media|json/i);
    expectProblem(await request(h.app).post('/api/policies/9999/adoptions').set('Authorization', supervisor), 404);
  });

  it('are no media-type problem with no Content-Length at all either', async () => {
    const auth = `Authorization: ${supervisor}`;
    const signOff = await rawRequest([`POST /api/cases/${caseId}/release-sign-off HTTP/1.1`, auth]);
    expect(signOff.status).toBe(409);
    expect((await rawRequest(['POST /api/policies/9999/adoptions HTTP/1.1', auth])).status).toBe(404);
    // Content-Length: 0 under a type the route does not take is no body either.
    expect((await rawRequest(['POST /api/policies/9999/adoptions HTTP/1.1', auth, 'Content-Type: text/plain', 'Content-Length: 0'])).status).toBe(404);
  });

  it('get field errors (400) where the body is required', async () => {
    const note = await request(h.app).post(`/api/cases/${caseId}/notes`).set('Authorization', caseworker);
    expectProblem(note, 400, 'Bad Request');
    expect(note.body.errors.map((e: { path: string }) => e.path)).toEqual(['text']);
    const checkIn = await rawRequest([`POST /api/cases/${caseId}/check-ins HTTP/1.1`, `Authorization: ${caseworker}`]);
    expect(checkIn.status).toBe(400);
    expect((checkIn.body.errors as { path: string }[]).map((e) => e.path)).toEqual(expect.arrayContaining(['temperatureC', 'symptoms', 'reportedBy']));
    const registration = await request(h.app).post('/api/cases').set('Authorization', caseworker);
    expectProblem(registration, 400);
    expect(registration.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['person', 'village']));
  });

  it('still get 415 when they do carry bytes of another type', async () => {
    const res = await request(h.app).post(`/api/cases/${caseId}/release-sign-off`).set('Authorization', supervisor)
      .set('Content-Type', 'text/plain').send('x');
    expectProblem(res, 415, 'Unsupported Media Type');
  });
});

describe('media types and problem titles', () => {
  let caseId: string;
  beforeAll(async () => { caseId = await newCase(); });

  it('titles problems with the HTTP reason phrase, not a library’s class name', async () => {
    const huge = JSON.stringify({ ...makeIntake(), address: 'x'.repeat(300 * 1024) });
    const tooLarge = await request(h.app).post('/api/cases').set('Authorization', caseworker).set('Content-Type', 'application/json').send(huge);
    expectProblem(tooLarge, 413, 'Content Too Large');
    const gbk = await request(h.app).post(`/api/cases/${caseId}/notes`).set('Authorization', caseworker)
      .set('Content-Type', 'application/json; charset=gbk').send('{"text":"x"}');
    expectProblem(gbk, 415, 'Unsupported Media Type');
    const broken = await request(h.app).post(`/api/cases/${caseId}/notes`).set('Authorization', caseworker)
      .set('Content-Type', 'application/json').send('{"text":');
    expectProblem(broken, 400, 'Bad Request');
  });

  it('lets CSV, XLSX and forms through to the import route only', async () => {
    const csv = '姓名,身份证号\r\n张伟,110105194912310021\r\n';
    for (const path of ['/api/cases', `/api/cases/${caseId}/notes`, '/api/passes/verify']) {
      expectProblem(await request(h.app).post(path).set('Authorization', caseworker).set('Content-Type', 'text/csv').send(csv), 415, 'Unsupported Media Type');
      expectProblem(await request(h.app).post(path).set('Authorization', caseworker).set('Content-Type', XLSX).send(Buffer.from('PK\u0003\u0004')), 415);
      expectProblem(await request(h.app).post(path).set('Authorization', caseworker).field('file', 'x'), 415);
    }
    // The import route takes them (here a header without the scan list's columns: 400, read and refused).
    const imported = await request(h.app).post('/api/imports').set('Authorization', caseworker).set('Content-Type', 'text/csv').send(csv);
    expectProblem(imported, 400);
    expect(imported.body.detail).toMatch(/header/);
    // …and refuses JSON itself.
    expectProblem(await request(h.app).post('/api/imports').set('Authorization', caseworker).send({ rows: [] }), 415);
  });
});

describe('authentication before the body', () => {
  it('refuses an anonymous or forged caller with 401 whatever the body: bad JSON, too large, another type', async () => {
    const forged = `${caseworker.slice(0, -4)}AAAA`;
    const huge = JSON.stringify({ ...makeIntake(), address: 'x'.repeat(300 * 1024) });
    for (const token of [undefined, forged]) {
      const post = (type: string, body: string) => {
        const req = request(h.app).post('/api/cases').set('Content-Type', type);
        return (token ? req.set('Authorization', token) : req).send(body);
      };
      expectProblem(await post('application/json', '{"person":'), 401);
      expectProblem(await post('application/json', huge), 401);
      expectProblem(await post('text/plain', 'hello'), 401);
      expectProblem(await post('application/json; charset=gbk', '{}'), 401);
    }
  });

  it('keeps the connection usable after refusing an unread body', async () => {
    const huge = JSON.stringify({ ...makeIntake(), address: 'x'.repeat(200 * 1024) });
    const agent = request.agent(server);
    expectProblem(await agent.post('/api/cases').set('Content-Type', 'application/json').send(huge), 401);
    expect((await agent.get('/healthz')).status).toBe(200);
  });
});
