// December 2026's corrections to the rules, end to end on a time-skipping Temporal server: what a
// case does at its deadlines and registrations now (workflows/rule-revisions.ts).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, policyByVersion, type Actor } from '../../domain';
import type { Intake } from '../../domain/schemas';
import { CaseClient, RegisteredElsewhereError } from '../../api/case-client';
import { caseViewQuery, checkInUpdate, timelineQuery } from '../../workflows/definitions';
import { FIXTURE_ENCRYPTION_KEYS } from '../histories/fixture-key';
import { Clock } from '../support/clock';
import { makeIntake } from '../support/intake';
import { testSecrets } from '../support/keys';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';

const policy = policyByVersion('2026.1');
const caseworker: Actor = { role: 'caseworker', id: 'cw-dafenshanyan-01', villages: ['dafenshanyan'] };
const lanjieCaseworker: Actor = { role: 'caseworker', id: 'cw-lanjie-01', villages: ['lanjie'] };
const normal = { temperatureC: 36.5, symptoms: ['none' as const], reportedBy: 'returnee' as const };

let h: TimeSkippingHarness;
let clock: Clock;

beforeAll(async () => {
  h = await startTimeSkipping({ encryptionKeys: FIXTURE_ENCRYPTION_KEYS });
  clock = new Clock(h.env);
});
afterAll(async () => h?.stop());

const register = (intake: Intake, actor = caseworker) => h.cases.register(intake, policy, actor);
const view = (caseId: string) => h.cases.handle(caseId).query(caseViewQuery);

describe('registration', () => {
  it('of a person whose open case is in another village tells that village\'s caseworker nothing about it', async () => {
    const intake = makeIntake({ village: 'dafenshanyan' });
    const { case: c } = await register(intake);
    const elsewhere = register({ ...intake, village: 'lanjie', address: '兰街村 3 号' }, lanjieCaseworker);
    await expect(elsewhere).rejects.toBeInstanceOf(RegisteredElsewhereError);
    await expect(elsewhere).rejects.not.toHaveProperty('message', expect.stringContaining(c.caseId));
    // The refused registration is not in the case's history, and the case is unchanged.
    const after = await view(c.caseId);
    expect(after.village).toBe('dafenshanyan');
    expect((await h.cases.handle(c.caseId).fetchHistory()).events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  });

  it('of a green-pass holder who is back with a yellow code puts them in home isolation from the new arrival', async () => {
    const intake = makeIntake({ healthCode: 'green' });
    const { case: c } = await register(intake);
    expect(c.status).toBe('green_pass');
    const arrival = await clock.nextDayAt('07:00');
    const again = await register({ ...intake, healthCode: 'yellow', arrivalDate: arrival });
    expect(again.created).toBe(false);
    expect(again.case).toMatchObject({ caseId: c.caseId, status: 'home_isolation', healthCode: 'yellow', isolation: { kind: 'home', startDate: arrival } });
    expect(again.case.pass?.revoked).toBeDefined();
    expect((await h.cases.handle(c.caseId).query(timelineQuery)).map((e) => e.type)).toEqual(expect.arrayContaining(['retriaged', 'isolation_started']));
  });

  it('of a person in home isolation who now shows a red code moves them to central isolation', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const intake = makeIntake({ arrivalDate: arrival });
    const { case: c } = await register(intake);
    const again = await register({ ...intake, healthCode: 'red' });
    expect(again.case).toMatchObject({ status: 'central_isolation', isolation: { kind: 'central' } });
    expect(again.case.isolation?.facility).toBeDefined();
    expect((await view(c.caseId)).status).toBe('central_isolation');
  });
});

describe('deadlines', () => {
  it('a check-in in the evening window after a missed morning fills the evening: no reminder at 20:00', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c } = await register(makeIntake({ arrivalDate: arrival }));
    await clock.advanceTo(clock.at(arrival, '17:00'));
    const answer = await h.cases.handle(c.caseId).executeUpdate(checkInUpdate, { args: [normal, caseworker] });
    expect(answer).toMatchObject({ slot: { id: `${arrival}-evening`, status: 'done' }, escalationClosed: true, overdueSlots: 0 });
    await clock.advanceTo(clock.at(arrival, '20:00') + 60_000);
    const after = await view(c.caseId);
    expect(after.slots.find((s) => s.id === `${arrival}-morning`)?.status).toBe('missed');
    expect(after.slots.find((s) => s.id === `${arrival}-evening`)?.status).toBe('done');
    expect(h.activities.of(c.caseId, 'check_in_reminder').map((n) => n.idempotencyKey)).toHaveLength(1);
  });

  it('a red code at the release re-check sends a person in home isolation to central isolation', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c } = await register(makeIntake({ arrivalDate: addDays(arrival, -13) }));
    const handle = h.cases.handle(c.caseId);
    for (const hhmm of ['09:00', '19:00']) {
      await clock.advanceTo(clock.at(arrival, hhmm));
      await handle.executeUpdate(checkInUpdate, { args: [normal, caseworker] });
    }
    h.activities.healthCodes.set(c.caseId, 'red');
    await clock.advanceTo(clock.at(arrival, '20:00') + 60_000);
    const after = await view(c.caseId);
    expect(after).toMatchObject({ status: 'central_isolation', healthCode: 'red', isolation: { kind: 'central', startDate: arrival } });
    expect(after.pass).toBeUndefined();
  });

  it('a re-triage to green is refused while a doctor\'s review is open', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c } = await register(makeIntake({ arrivalDate: arrival }));
    await clock.advanceTo(clock.at(arrival, '09:00'));
    const handle = h.cases.handle(c.caseId);
    await handle.executeUpdate(checkInUpdate, { args: [{ ...normal, symptoms: ['cough'] }, caseworker] });
    const { retriageUpdate } = await import('../../workflows/definitions');
    const refused = handle.executeUpdate(retriageUpdate, { args: [{ healthCode: 'green', temperatureC: 36.5, reason: '复核为绿码' }, caseworker] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await view(c.caseId)).status).toBe('medical_review');
  });
});

describe('continue-as-new', () => {
  it('waits for a delivery still being retried without leaving the deadlines unattended, then continues', async () => {
    const arrival = await clock.nextDayAt('07:00');
    // A budget the registration alone exceeds: the case is due to continue as new at its first wake-up.
    const small = new CaseClient({ client: h.env.client, taskQueue: h.taskQueue, caseIdKey: testSecrets.caseIdKey, historyBudget: 5 });
    const { case: c } = await small.register(makeIntake({ arrivalDate: arrival }), policy, caseworker);
    const firstRun = (await h.cases.handle(c.caseId).describe()).runId;
    // The 10:00 reminder's webhook is down for hours (the retried activity keeps trying).
    h.activities.refuseDeliveries(c.caseId, 'check_in_reminder', 25);
    await clock.advanceTo(clock.at(arrival, '11:00') + 60_000);
    // The cadre task is due an hour after the miss: it is sent, in the same run, while the reminder is still retried.
    const deadline = Date.now() + 10_000;
    while (h.activities.of(c.caseId, 'cadre_task').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(h.activities.of(c.caseId, 'cadre_task')).toHaveLength(1);
    expect(h.activities.of(c.caseId, 'check_in_reminder')).toHaveLength(0);
    expect((await h.cases.handle(c.caseId).describe()).runId).toBe(firstRun);
    // Once the reminder is through and the case next wakes, it continues as new with its state.
    await clock.advanceTo(clock.at(arrival, '20:00') + 60_000);
    expect(h.activities.of(c.caseId, 'check_in_reminder').length).toBeGreaterThanOrEqual(1);
    const latest = await h.cases.handle(c.caseId).describe();
    expect(latest.runId).not.toBe(firstRun);
    expect((await view(c.caseId)).slots.filter((s) => s.status === 'missed').map((s) => s.id)).toEqual([`${arrival}-morning`, `${arrival}-evening`]);
  });
});
