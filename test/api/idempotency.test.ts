// Idempotency-Key on case actions, against a real worker and the real Temporal dev server: a retry
// of the same request is recorded once; the same key with another action or another body is
// another request, and is recorded too (it used to be answered with the first one's result and
// dropped). The update IDs the key becomes carry no personal data and stay short.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotentUpdateId } from '../../api/idempotency';
import { startApiHarness } from '../support/api-harness';
import { makeIntake } from '../support/intake';

type Harness = Awaited<ReturnType<typeof startApiHarness>>;
let h: Harness;
let caseworker: string;

beforeAll(async () => {
  h = await startApiHarness();
  caseworker = h.token({ sub: 'cw-idem', role: 'caseworker', villages: ['dafenshanyan'] });
});
afterAll(async () => h?.stop());

interface Entry { type: string; summary: string; data?: Record<string, unknown> }

async function newCase(): Promise<string> {
  const res = await request(h.app).post('/api/cases').set('Authorization', caseworker).send(makeIntake());
  expect(res.status).toBe(201);
  return res.body.case.caseId;
}

const act = (caseId: string, path: string, body: object, key: string, token = caseworker) =>
  request(h.app).post(`/api/cases/${caseId}/${path}`).set('Authorization', token).set('Idempotency-Key', key).send(body);

async function timeline(caseId: string): Promise<Entry[]> {
  return (await request(h.app).get(`/api/cases/${caseId}/timeline`).set('Authorization', caseworker)).body.entries;
}

/** The update IDs of the case's run, as Temporal recorded them in its history. */
async function updateIds(caseId: string): Promise<string[]> {
  const history = await h.client.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const id = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId;
    return id ? [id] : [];
  });
}

describe('Idempotency-Key', () => {
  const normal = { temperatureC: 36.5, symptoms: ['none'], reportedBy: 'landlord' };
  const fever = { temperatureC: 38.9, symptoms: ['fever'], reportedBy: 'landlord' };
  const noteText = '房东代买药品，电话 13812345678';

  it('a reused key with another action or another body records that request too; retries of each are recorded once', async () => {
    const caseId = await newCase();
    const first = await act(caseId, 'check-ins', normal, 'k1');
    expect(first.status).toBe(201);
    expect(first.body.reading).toMatchObject({ temperatureC: 36.5 });

    // The same key on another action: the note is recorded, and the answer is the note's (the case view).
    const note = await act(caseId, 'notes', { text: noteText }, 'k1');
    expect(note.status).toBe(200);
    expect(note.body).toMatchObject({ caseId });
    expect(note.body).not.toHaveProperty('reading');

    // The same key and action with another body: the fever is recorded, not answered with 36.5.
    const hot = await act(caseId, 'check-ins', fever, 'k1');
    expect(hot.status).toBe(201);
    expect(hot.body.reading).toMatchObject({ temperatureC: 38.9, abnormal: true });
    expect(hot.body.reading.id).not.toBe(first.body.reading.id);

    // Retries of each, one with its members in another order: answered as the first time, recorded once.
    const retried = await act(caseId, 'check-ins', { reportedBy: 'landlord', symptoms: ['none'], temperatureC: 36.5 }, 'k1');
    expect(retried.status).toBe(201);
    expect(retried.body.reading).toEqual(first.body.reading);
    expect((await act(caseId, 'check-ins', fever, 'k1')).body.reading).toEqual(hot.body.reading);
    expect((await act(caseId, 'notes', { text: noteText }, 'k1')).status).toBe(200);

    const entries = await timeline(caseId);
    const checkIns = entries.filter((e) => e.type === 'check_in').map((e) => e.summary);
    expect(checkIns).toEqual([expect.stringContaining('36.5℃'), expect.stringContaining('38.9℃')]);
    expect(entries.filter((e) => e.type === 'note' && e.summary === noteText)).toHaveLength(1);
  });

  it('keeps keys of different callers apart', async () => {
    const caseId = await newCase();
    const other = h.token({ sub: 'cw-idem-2', role: 'caseworker', villages: ['dafenshanyan'] });
    const mine = await act(caseId, 'check-ins', normal, 'shared-key');
    const theirs = await act(caseId, 'check-ins', normal, 'shared-key', other);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.reading.id).not.toBe(mine.body.reading.id);
  });

  it('turns keys into update IDs without personal data, short even for a long caller ID and key', async () => {
    const caseId = await newCase();
    const longKey = `visit-${'9'.repeat(94)}`; // 100 characters, the most the header may have
    const longSub = h.token({ sub: `staff-${'x'.repeat(1200)}`, role: 'caseworker', villages: ['dafenshanyan'] });
    expect((await act(caseId, 'notes', { text: noteText }, longKey, longSub)).status).toBe(200);
    expect((await act(caseId, 'check-ins', normal, longKey, longSub)).status).toBe(201);

    const ids = await updateIds(caseId);
    const keyed = ids.filter((id) => /^(addNote|checkIn):/.test(id));
    expect(keyed).toHaveLength(2);
    for (const id of keyed) {
      // Temporal refuses update IDs over limit.maxIDLength (1,000 by default; 255 on some SQL clusters).
      expect(id.length).toBeLessThanOrEqual(255);
      expect(id).toMatch(/^[A-Za-z]+:[A-Za-z0-9_-]{32}$/);
      for (const secret of [noteText, '13812345678', longKey, 'staff-']) expect(id).not.toContain(secret);
    }
  });
});

describe('idempotentUpdateId', () => {
  const body = { temperatureC: 36.5, symptoms: ['none'], reportedBy: 'landlord', nested: { b: 1, a: [2, { d: 3, c: 4 }] } };
  const id = idempotentUpdateId('checkIn', 'cw-01', 'k1', body);

  it('is the same for the same request, whatever the order of its members', () => {
    const reordered = { nested: { a: [2, { c: 4, d: 3 }], b: 1 }, reportedBy: 'landlord', symptoms: ['none'], temperatureC: 36.5 };
    expect(idempotentUpdateId('checkIn', 'cw-01', 'k1', reordered)).toBe(id);
    expect(idempotentUpdateId('checkIn', 'cw-01', 'k1', { ...body, note: undefined })).toBe(id);
  });

  it('differs with the update, the caller, the key, or anything in the body (array order included)', () => {
    const others = [
      idempotentUpdateId('addNote', 'cw-01', 'k1', body),
      idempotentUpdateId('checkIn', 'cw-02', 'k1', body),
      idempotentUpdateId('checkIn', 'cw-01', 'k2', body),
      idempotentUpdateId('checkIn', 'cw-01', 'k1', { ...body, temperatureC: 38.9 }),
      idempotentUpdateId('checkIn', 'cw-01', 'k1', { ...body, nested: { b: 1, a: [{ d: 3, c: 4 }, 2] } }),
      // A subject and key that run into each other are still told apart.
      idempotentUpdateId('checkIn', 'cw-01:k', '1', body),
    ];
    expect(new Set([id, ...others]).size).toBe(others.length + 1);
    expect(others[0]).toMatch(/^addNote:/);
  });
});
