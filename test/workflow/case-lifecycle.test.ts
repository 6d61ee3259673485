// Every path of a returnee's case, end to end on a time-skipping Temporal server, asserting the
// exact moments things happen (Shanghai time).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyPemFrom, verifyPassToken } from '../../activities/green-pass';
import { SYSTEM, addDays, policyByVersion, type Actor } from '../../domain';
import type { Notification } from '../../activities/types';
import type { Intake } from '../../domain/schemas';
import {
  adoptPolicyUpdate, caseViewQuery, changePeriodUpdate, checkInUpdate, closeUpdate, doctorDecisionUpdate,
  noteUpdate, retriageUpdate, signOffUpdate, timelineQuery, transferUpdate, visitUpdate,
} from '../../workflows/definitions';
import { CaseClient } from '../../api/case-client';
import { FIXTURE_ENCRYPTION_KEYS } from '../histories/fixture-key';
import { Clock } from '../support/clock';
import { recordHistory } from '../support/histories';
import { makeIntake } from '../support/intake';
import { testSecrets } from '../support/keys';
import { startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';

const policy = policyByVersion('2026.1');
const caseworker: Actor = { role: 'caseworker', id: 'cw-dafenshanyan-01' };
const doctor: Actor = { role: 'doctor', id: 'dr-01' };
const supervisor: Actor = { role: 'supervisor', id: 'sup-01' };
const normal = { temperatureC: 36.5, symptoms: ['none' as const], reportedBy: 'returnee' as const };

let h: TimeSkippingHarness;
let clock: Clock;

beforeAll(async () => {
  h = await startTimeSkipping({ encryptionKeys: FIXTURE_ENCRYPTION_KEYS });
  clock = new Clock(h.env);
});
afterAll(async () => h?.stop());

async function register(intake: Intake, p = policy) {
  const answer = await h.cases.register(intake, p, caseworker);
  return { ...answer, handle: h.cases.handle(answer.case.caseId) };
}

const view = (caseId: string) => h.cases.handle(caseId).query(caseViewQuery);

/** Checks in on time for every slot from `fromDate` for `days` days (09:00 and 19:00). */
async function checkInDaily(caseId: string, fromDate: string, days: number, reportedBy: 'returnee' | 'facility_staff' = 'returnee') {
  const handle = h.cases.handle(caseId);
  for (let d = 0; d < days; d++) {
    const date = addDays(fromDate, d);
    for (const hhmm of ['09:00', '19:00']) {
      await clock.advanceTo(clock.at(date, hhmm));
      await handle.executeUpdate(checkInUpdate, { args: [{ ...normal, reportedBy }, caseworker] });
    }
  }
}

/** Notifications are sent by activities after the workflow decides: wait for them to arrive. */
async function notified(caseId: string, kind: Notification['kind'], count = 1): Promise<Notification[]> {
  const deadline = Date.now() + 10_000;
  while (h.activities.of(caseId, kind).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return h.activities.of(caseId, kind);
}

function expectAround(iso: string, epochMs: number) {
  const t = Date.parse(iso);
  expect(t).toBeGreaterThanOrEqual(epochMs);
  expect(t - epochMs).toBeLessThan(5_000);
}

describe('registration and triage', () => {
  it('a green code with normal temperature gets a signed green pass at once', async () => {
    await clock.nextDayAt('07:00');
    const { created, case: c } = await register(makeIntake({ healthCode: 'green', residence: 'owner', landlord: undefined }));
    expect(created).toBe(true);
    expect(c.status).toBe('green_pass');
    expect(c.triage).toMatchObject({ placement: 'green_pass', policyVersion: '2026.1' });
    const verified = verifyPassToken(c.pass!.token, publicKeyPemFrom(testSecrets.passPrivateKeyPem), new Date(await clock.now()));
    expect(verified).toMatchObject({ status: 'valid', caseId: c.caseId, colour: 'green' });
    expect(c.pass!.token).not.toContain('张伟');
  });

  it('registering the same person twice answers with the existing case', async () => {
    const intake = makeIntake();
    const first = await register(intake);
    const second = await register(intake);
    expect(second.created).toBe(false);
    expect(second.case.caseId).toBe(first.case.caseId);
    const runs = await first.handle.describe();
    expect(runs.runId).toBe((await second.handle.describe()).runId);
  });

  it('the workflow ID is a keyed hash, never the ID number', async () => {
    const intake = makeIntake();
    const { case: c } = await register(intake);
    expect(c.caseId).toMatch(/^sf-[a-z2-7]{20}$/);
    expect(c.caseId).not.toContain(intake.person.idCardNumber);
  });

  it('red code → centralised isolation in an assigned facility, doctor notified, then a pass after 14 days', async () => {
    const today = await clock.nextDayAt('07:00');
    const { case: c } = await register(makeIntake({ healthCode: 'red', arrivalDate: addDays(today, -1) }));
    expect(c.status).toBe('central_isolation');
    expect(c.isolation).toMatchObject({ kind: 'central', startDate: today, days: 14 });
    expect(c.isolation!.facility?.facilityId).toBeTruthy();
    const [notice] = await notified(c.caseId, 'centralised_isolation');
    expect(notice.audiences).toContain('doctor');

    await checkInDaily(c.caseId, today, 14, 'facility_staff');
    await clock.advanceTo(clock.at(addDays(today, 13), '20:01'));
    const after = await view(c.caseId);
    expect(after.status).toBe('green_pass');
    expect(after.pass).toBeTruthy();
    await recordHistory('red-code-facility-pass', h.cases.handle(c.caseId));
  });

  it('a fever at the checkpoint sends even a green code to centralised isolation', async () => {
    const { case: c } = await register(makeIntake({ healthCode: 'green', temperatureC: 37.6 }));
    expect(c.status).toBe('central_isolation');
    expect(c.triage.reason).toContain('37.6');
  });
});

describe('home isolation with twice-daily check-ins', () => {
  it('on-time check-ins cost no timer at their deadlines; the pass comes at 20:00 on day 14', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c, handle } = await register(makeIntake({ arrivalDate: arrival }));
    expect(c.status).toBe('home_isolation');
    expect(c.slots).toHaveLength(28);
    expect(c.isolation).toMatchObject({ day: 1, days: 14 });

    await checkInDaily(c.caseId, arrival, 14);
    const beforeEnd = await view(c.caseId);
    expect(beforeEnd.slots.every((s) => s.status === 'done')).toBe(true);
    expect(beforeEnd.isolation!.day).toBe(14);
    expect(beforeEnd.status).toBe('home_isolation');

    await clock.advanceTo(clock.at(addDays(arrival, 13), '20:00') + 60_000);
    const after = await view(c.caseId);
    expect(after.status).toBe('green_pass');
    expect(h.activities.of(c.caseId, 'check_in_reminder')).toHaveLength(0);
    const [issued] = await notified(c.caseId, 'green_pass_issued');
    expectAround(issued.at, clock.at(addDays(arrival, 13), '20:00'));

    // The design point of the rush hour: 28 deadlines met, and only the end-of-period timer fired.
    const history = await handle.fetchHistory();
    const fired = history.events!.filter((e) => e.timerFiredEventAttributes);
    expect(fired).toHaveLength(1);
    // Nor a visibility write: an on-time check-in changes nothing a supervisor's list shows.
    // Two writes of the case's own attributes in 14 days: placed at home, then the pass.
    const written = history.events!
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}))
      .filter((keys) => keys.some((key) => key.startsWith('Case')));
    expect(written).toHaveLength(2);
    expect(written[0]).toContain('CaseStatus');
    expect(written[1]).toContain('CaseStatus');
    expect(written.flat()).not.toContain('CaseNextDeadline');
    await recordHistory('home-isolation-pass', handle);
  });

  it('a missed slot: reminder at 10:00, cadre task at 11:00, door visit at the 2nd miss, transfer at the 3rd; a late check-in closes it', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c } = await register(makeIntake({ arrivalDate: arrival }));

    await clock.advanceTo(clock.at(arrival, '10:00') + 30_000);
    const [reminder] = await notified(c.caseId, 'check_in_reminder');
    expectAround(reminder.at, clock.at(arrival, '10:00'));
    expect(reminder.audiences).toEqual(['returnee', 'landlord']);
    expect(reminder.text).not.toContain('张伟');
    expect((await view(c.caseId)).escalation?.level).toBe(1);

    await clock.advanceTo(clock.at(arrival, '11:00') + 30_000);
    const [task] = await notified(c.caseId, 'cadre_task');
    expectAround(task.at, clock.at(arrival, '11:00'));
    expect((await view(c.caseId)).escalation?.level).toBe(2);

    await clock.advanceTo(clock.at(arrival, '20:00') + 30_000);
    const [visit] = await notified(c.caseId, 'door_visit');
    expectAround(visit.at, clock.at(arrival, '20:00'));
    expect(visit.audiences).toEqual(['doctor', 'police']);
    const second = await view(c.caseId);
    expect(second).toMatchObject({ overdueSlots: 2, escalation: { level: 3 } });

    const nextDay = addDays(arrival, 1);
    await clock.advanceTo(clock.at(nextDay, '10:00') + 30_000);
    const [transfer] = await notified(c.caseId, 'transfer_recommended');
    expectAround(transfer.at, clock.at(nextDay, '10:00'));
    expect(transfer.audiences).toEqual(['area_supervisor']);
    expect((await view(c.caseId)).escalation?.level).toBe(4);

    await clock.advanceTo(clock.at(nextDay, '10:40'));
    const answer = await h.cases.handle(c.caseId).executeUpdate(checkInUpdate, { args: [{ ...normal, reportedBy: 'landlord' }, caseworker] });
    expect(answer.slot).toMatchObject({ id: `${nextDay}-morning`, status: 'late' });
    expect(answer.escalationClosed).toBe(true);
    expect(answer.overdueSlots).toBe(0);
    const afterCheckIn = await view(c.caseId);
    expect(afterCheckIn.escalation).toBeUndefined();
    // The answer is built without the whole view, and says what the view says.
    expect(answer.slot).toEqual(afterCheckIn.slots.find((s) => s.id === answer.slot?.id));
    expect([answer.status, answer.nextDeadline]).toEqual([afterCheckIn.status, afterCheckIn.nextDeadline]);
    // Cadre tasks went out an hour after each of the first two misses; the third one's was not
    // sent, because the late check-in came first.
    await clock.advanceTo(clock.at(nextDay, '11:30'));
    const tasks = h.activities.of(c.caseId, 'cadre_task');
    expect(tasks).toHaveLength(2);
    expectAround(tasks[1].at, clock.at(arrival, '21:00'));
    await recordHistory('missed-slot-ladder', h.cases.handle(c.caseId));
  });

  it('a reminder goes out inside the deadline\'s workflow task; a webhook that is down hands it to retried activities, and the case does not wait', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c, handle } = await register(makeIntake({ arrivalDate: arrival }));
    const notifyActivities = async () => (await handle.fetchHistory()).events!
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'notify');

    // Delivered at the first try: a local activity, no activity task, no second workflow task.
    await clock.advanceTo(clock.at(arrival, '10:00') + 30_000);
    await notified(c.caseId, 'check_in_reminder');
    expect(await notifyActivities()).toHaveLength(0);

    // The webhook refuses the local try and the first retried attempt of the next reminder.
    h.activities.refuseDeliveries(c.caseId, 'check_in_reminder', 2);
    await clock.advanceTo(clock.at(arrival, '20:00') + 60_000);
    const missed = await view(c.caseId);
    expect(missed).toMatchObject({ overdueSlots: 2, escalation: { level: 3 } }); // recorded at 20:00 all the same
    const reminders = await notified(c.caseId, 'check_in_reminder', 2);
    expect(reminders).toHaveLength(2);
    expectAround(reminders[1].at, clock.at(arrival, '20:00'));
    expect(h.activities.refused.get(`${c.caseId}/check_in_reminder`)).toBe(2);
    expect(await notifyActivities()).toHaveLength(1);
    expect(h.activities.of(c.caseId, 'door_visit')).toHaveLength(1);
  });

  it('an abnormal check-in waits for the doctor: continue at home, or move to a facility for a fresh 14 days', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c, handle } = await register(makeIntake({ arrivalDate: arrival }));

    await clock.advanceTo(clock.at(arrival, '08:00'));
    const fever = await handle.executeUpdate(checkInUpdate, { args: [{ temperatureC: 37.9, symptoms: ['fever'], reportedBy: 'returnee' }, caseworker] });
    expect(fever.status).toBe('medical_review');
    const [alert] = await notified(c.caseId, 'abnormal_check_in');
    expectAround(alert.at, clock.at(arrival, '08:00'));
    expect(alert.audiences).toEqual(['doctor']);

    const continued = await handle.executeUpdate(doctorDecisionUpdate, { args: [{ decision: 'continue_home_isolation', note: '低热，继续观察' }, doctor] });
    expect(continued.status).toBe('home_isolation');

    const day3 = addDays(arrival, 2);
    await clock.advanceTo(clock.at(day3, '09:00'));
    await handle.executeUpdate(checkInUpdate, { args: [{ temperatureC: 36.8, symptoms: ['cough'], reportedBy: 'returnee' }, caseworker] });
    const moved = await handle.executeUpdate(doctorDecisionUpdate, { args: [{ decision: 'centralised_isolation' }, doctor] });
    expect(moved.status).toBe('central_isolation');
    expect(moved.isolation).toMatchObject({ kind: 'central', startDate: day3, days: 14 });
    expect(moved.isolation!.facility).toBeTruthy();
    await recordHistory('abnormal-review-centralised', handle);
  });

  it('the doctor can send the returnee to hospital, which closes the case', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c, handle } = await register(makeIntake({ arrivalDate: arrival }));
    await clock.advanceTo(clock.at(arrival, '08:00'));
    await handle.executeUpdate(checkInUpdate, { args: [{ temperatureC: 38.6, symptoms: ['fever', 'shortness_of_breath'], reportedBy: 'doctor' }, doctor] });
    const closed = await handle.executeUpdate(doctorDecisionUpdate, { args: [{ decision: 'hospital' }, doctor] });
    expect(closed.status).toBe('closed');
    expect(await handle.result()).toMatchObject({ caseId: c.caseId, closedReason: 'hospitalised' });
  });

  it('a case in review is not released at the end of the period; the supervisor is told why, and it is re-checked daily', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { case: c, handle } = await register(makeIntake({ arrivalDate: addDays(arrival, -12) }));
    expect(c.isolation!.day).toBe(13);
    await checkInDaily(c.caseId, arrival, 2);
    h.activities.healthCodes.set(c.caseId, 'yellow');
    const end = clock.at(addDays(arrival, 1), '20:00');
    await clock.advanceTo(end + 60_000);
    const blocked = await view(c.caseId);
    expect(blocked.status).toBe('release_blocked');
    expect(blocked.release!.blockedReasons).toEqual(['健康码复核为黄码']);
    const [told] = await notified(c.caseId, 'release_blocked');
    expect(told.audiences).toEqual(['area_supervisor']);
    expect(told.text).toContain('健康码复核为黄码');

    h.activities.healthCodes.set(c.caseId, 'green');
    await checkInDaily(c.caseId, addDays(arrival, 2), 1);
    await clock.advanceTo(end + 24 * 3600_000 + 60_000);
    expect((await view(c.caseId)).status).toBe('green_pass');
    expect(await handle.query(timelineQuery)).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'release_blocked' }), expect.objectContaining({ type: 'pass_issued' }),
    ]));
    await recordHistory('release-blocked-then-pass', handle);
  });
});

describe('caseworker actions', () => {
  it('extends and shortens the period with a reason', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { handle } = await register(makeIntake({ arrivalDate: arrival }));
    const extended = await handle.executeUpdate(changePeriodUpdate, { args: [{ days: 3, reason: '同住人员核酸待出' }, caseworker] });
    expect(extended.isolation!.days).toBe(17);
    expect(extended.isolation!.endsAt).toBe(new Date(clock.at(addDays(arrival, 16), '20:00')).toISOString());
    expect(extended.slots).toHaveLength(34);
    const shortened = await handle.executeUpdate(changePeriodUpdate, { args: [{ days: -5, reason: '复核更正' }, caseworker] });
    expect(shortened.isolation!.days).toBe(12);
  });

  it('records visits, notes and transfers; re-triage of a pass holder to yellow revokes the pass', async () => {
    await clock.nextDayAt('07:00');
    const { handle } = await register(makeIntake({ healthCode: 'green' }));
    await handle.executeUpdate(visitUpdate, { args: [{ outcome: 'not_at_home' }, caseworker] });
    await handle.executeUpdate(noteUpdate, { args: [{ text: '房东代买生活物资' }, caseworker] });
    const moved = await handle.executeUpdate(transferUpdate, { args: [{ village: 'jingding', address: '荆顶村 3 组 8 号', reason: '换租' }, caseworker] });
    expect(moved.village).toBe('jingding');
    const retriaged = await handle.executeUpdate(retriageUpdate, { args: [{ healthCode: 'yellow', reason: '密接赋黄码' }, caseworker] });
    expect(retriaged.status).toBe('home_isolation');
    expect(retriaged.pass?.revoked?.reason).toBe('isolation_started');
    const types = (await handle.query(timelineQuery)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['visit', 'note', 'transferred', 'retriaged', 'isolation_started']));
    await recordHistory('actions-and-retriage', handle);
  });

  it('re-triage of a wrong yellow code to green ends the isolation with a pass', async () => {
    // Arrived today by the server's clock (which runs weeks ahead of the wall clock by now): day 1
    // of 14, so nothing but the re-triage can end the isolation.
    const arrival = await clock.nextDayAt('07:00');
    const { handle, case: c } = await register(makeIntake({ arrivalDate: arrival }));
    expect(c.status).toBe('home_isolation');
    expect(c.isolation).toMatchObject({ startDate: arrival, day: 1, days: 14 });
    expect(c.pass).toBeUndefined();

    const corrected = await handle.executeUpdate(retriageUpdate, { args: [{ healthCode: 'green', temperatureC: 36.4, reason: '赋码错误，申诉更正' }, caseworker] });
    expect(corrected.status).toBe('green_pass');
    expect(corrected.isolation).toBeUndefined();
    const verified = verifyPassToken(corrected.pass!.token, publicKeyPemFrom(testSecrets.passPrivateKeyPem), new Date(await clock.now()));
    expect(verified).toMatchObject({ status: 'valid', caseId: c.caseId, colour: 'green' });
    // Issued by the caseworker's re-triage, not by a release (the system's, after a code check).
    const timeline = await handle.query(timelineQuery);
    const retriaged = timeline.findIndex((e) => e.type === 'retriaged');
    const issued = timeline.findIndex((e) => e.type === 'pass_issued');
    expect(retriaged).toBeGreaterThan(-1);
    expect(issued).toBeGreaterThan(retriaged);
    expect(timeline[issued].actor).toEqual({ role: 'caseworker', id: caseworker.id });
    expect(timeline.map((e) => e.type)).not.toContain('release_blocked');
  });

  it('close ends the case; registering again later opens a new case and the old one stays readable', async () => {
    const intake = makeIntake();
    const { handle, case: c } = await register(intake);
    const firstRun = (await handle.describe()).runId;
    const closed = await handle.executeUpdate(closeUpdate, { args: [{ reason: 'left_zone' }, caseworker] });
    expect(closed.status).toBe('closed');
    expect(await handle.result()).toMatchObject({ closedReason: 'left_zone' });
    await recordHistory('closed-left-zone', handle);

    const again = await register(intake);
    expect(again.created).toBe(true);
    expect(again.case.caseId).toBe(c.caseId);
    expect((await again.handle.describe()).runId).not.toBe(firstRun);
    const old = await h.cases.handle(c.caseId, firstRun).query(caseViewQuery);
    expect(old.status).toBe('closed');
  });

  it('refuses actions the state does not allow, without touching the history', async () => {
    const { handle } = await register(makeIntake({ healthCode: 'green' }));
    const acceptedUpdates = async () => (await handle.fetchHistory()).events!
      .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    const before = await acceptedUpdates();
    const refused = handle.executeUpdate(checkInUpdate, { args: [normal, caseworker] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { type: 'CaseStateConflict' } });
    await expect(handle.executeUpdate(doctorDecisionUpdate, { args: [{ decision: 'hospital' }, doctor] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await acceptedUpdates()).toBe(before);
  });
});

describe('long-lived cases', () => {
  it('continue as new with their whole state before the history grows large; the timeline survives', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const smallBudget = new CaseClient({ client: h.env.client, taskQueue: h.taskQueue, caseIdKey: testSecrets.caseIdKey, historyBudget: 44 });
    const { case: c } = await smallBudget.register(makeIntake({ arrivalDate: arrival }), policy, caseworker);
    const firstRun = (await h.cases.handle(c.caseId).describe()).runId;

    await checkInDaily(c.caseId, arrival, 3);
    const firstHistory = (await h.cases.handle(c.caseId, firstRun).fetchHistory()).events!;
    expect(firstHistory[firstHistory.length - 1].workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    const secondRun = (await h.cases.handle(c.caseId).describe()).runId;
    expect(secondRun).not.toBe(firstRun);

    const after = await view(c.caseId);
    expect(after.slots.filter((s) => s.status === 'done')).toHaveLength(6);
    expect(after.status).toBe('home_isolation');
    const timeline = await h.cases.handle(c.caseId).query(timelineQuery);
    expect(timeline[0].type).toBe('registered');
    expect(timeline.filter((e) => e.type === 'check_in')).toHaveLength(6);

    // The client remembered the first run: its next update finds that run closed and reaches the
    // new one by workflow ID, which the client then remembers.
    expect(h.currentRuns.runOf(c.caseId)).toBe(firstRun);
    await h.cases.handle(c.caseId).executeUpdate(noteUpdate, { args: [{ text: '续跑之后' }, caseworker] });
    expect(h.currentRuns.runOf(c.caseId)).toBe(secondRun);
    expect((await h.cases.handle(c.caseId).query(timelineQuery)).at(-1)).toMatchObject({ type: 'note', summary: '续跑之后' });
    await recordHistory('continued-as-new', h.cases.handle(c.caseId, firstRun));
  });
});

describe('policy changes mid-epidemic', () => {
  it('an open case adopts 2026.2: 7 days at home, released only after a supervisor signs off', async () => {
    const arrival = await clock.nextDayAt('07:00');
    const { handle, case: c } = await register(makeIntake({ arrivalDate: arrival }));
    const adopted = await handle.executeUpdate(adoptPolicyUpdate, { args: [policyByVersion('2026.2'), supervisor] });
    expect(adopted).toMatchObject({ policyVersion: '2026.2', isolation: { days: 7 } });
    expect(adopted.slots).toHaveLength(14);

    await checkInDaily(c.caseId, arrival, 7);
    await clock.advanceTo(clock.at(addDays(arrival, 6), '20:00') + 60_000);
    expect((await view(c.caseId)).status).toBe('awaiting_sign_off');
    expect(await notified(c.caseId, 'sign_off_needed')).toHaveLength(1);

    const released = await handle.executeUpdate(signOffUpdate, { args: [{ note: '同意' }, supervisor] });
    expect(released.status).toBe('green_pass');
    const stamps = (await handle.query(timelineQuery)).filter((e) => e.type === 'policy_adopted');
    expect(stamps[0].data).toEqual({ from: '2026.1', to: '2026.2' });
    await recordHistory('policy-adopted-sign-off', handle);
  });

  it('new cases started under 2026.2 use it from the start', async () => {
    const { case: c } = await register(makeIntake(), policyByVersion('2026.2'));
    expect(c).toMatchObject({ policyVersion: '2026.2', isolation: { days: 7 } });
  });
});

void SYSTEM;
