// The procedure's pure rules, tested without Temporal.
import { describe, expect, it } from 'vitest';
import {
  SYSTEM, atLocalMinutes, buildSlots, changePeriod, isAbnormalReading, isValidIdCard, markMissedSlots, newCase,
  nextWakeAt, periodEndsAt, placeCheckIn, policyByVersion, recordCheckIn, recordReleaseAttempt, releaseBlockers,
  startIsolation, statusOf, triage, dueCadreTask, dayOfPeriod, localDateOf, HOUR_MS,
} from '../../domain';
import { CheckInSchema, IntakeSchema } from '../../domain/schemas';
import { idCardNumber, makeIntake } from '../support/intake';

const policy = policyByVersion('2026.1');
const at = (date: string, hhmm: string) => atLocalMinutes(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));

describe('triage (三色码)', () => {
  it('green code and normal temperature → green pass', () => {
    expect(triage('green', 36.6, policy).placement).toBe('green_pass');
  });
  it('yellow code → home isolation', () => {
    expect(triage('yellow', 36.6, policy)).toMatchObject({ placement: 'home_isolation', policyVersion: '2026.1' });
  });
  it('red code → centralised isolation', () => {
    expect(triage('red', 36.6, policy).placement).toBe('central_isolation');
  });
  it('37.3 °C is fever whatever the colour; 37.2 is not', () => {
    expect(triage('green', 37.3, policy).placement).toBe('central_isolation');
    expect(triage('green', 37.2, policy).placement).toBe('green_pass');
  });
});

describe('abnormal readings', () => {
  it('fever or any symptom is abnormal; "none" at normal temperature is not', () => {
    expect(isAbnormalReading(37.3, ['none'], policy)).toBe(true);
    expect(isAbnormalReading(36.5, ['cough'], policy)).toBe(true);
    expect(isAbnormalReading(36.5, ['none'], policy)).toBe(false);
  });
});

describe('check-in slots in Asia/Shanghai time', () => {
  it('10:00 and 20:00 Shanghai are 02:00 and 12:00 UTC', () => {
    const [morning, evening] = buildSlots('2026-02-10', 1, policy, 0);
    expect(new Date(morning.dueAt).toISOString()).toBe('2026-02-10T02:00:00.000Z');
    expect(new Date(evening.dueAt).toISOString()).toBe('2026-02-10T12:00:00.000Z');
  });
  it('14 days give 28 slots, and the period ends at 20:00 on day 14', () => {
    expect(buildSlots('2026-02-10', 14, policy, 0)).toHaveLength(28);
    expect(new Date(periodEndsAt('2026-02-10', 14, policy)).toISOString()).toBe('2026-02-23T12:00:00.000Z');
  });
  it('slots already past at registration are not owed', () => {
    const slots = buildSlots('2026-02-10', 14, policy, at('2026-02-10', '15:00'));
    expect(slots[0].id).toBe('2026-02-10-evening');
    expect(slots).toHaveLength(27);
  });
  it('day N counts from the arrival date in local time', () => {
    expect(dayOfPeriod('2026-02-10', 14, at('2026-02-10', '00:30'))).toBe(1);
    expect(dayOfPeriod('2026-02-10', 14, at('2026-02-12', '23:59'))).toBe(3);
    expect(localDateOf(Date.parse('2026-02-10T16:30:00Z'))).toBe('2026-02-11');
  });
  it('places a check-in in the open window, late on the last missed slot, else unscheduled', () => {
    const slots = buildSlots('2026-02-10', 2, policy, 0);
    expect(placeCheckIn(slots, at('2026-02-10', '09:00'))).toEqual({ slotId: '2026-02-10-morning', status: 'done' });
    expect(placeCheckIn(slots, at('2026-02-10', '05:00'))).toEqual({ slotId: undefined, status: 'unscheduled' });
    slots[0].status = 'missed';
    expect(placeCheckIn(slots, at('2026-02-10', '10:30'))).toEqual({ slotId: '2026-02-10-morning', status: 'late' });
    slots[0].status = 'late';
    expect(placeCheckIn(slots, at('2026-02-10', '17:00'))).toEqual({ slotId: '2026-02-10-evening', status: 'done' });
  });
});

describe('escalation ladder', () => {
  function isolatedCase() {
    const state = newCase('sf-test', makeIntake({ arrivalDate: '2026-02-10' }), policy, at('2026-02-10', '07:00'), SYSTEM);
    startIsolation(state, 'home', '2026-02-10', at('2026-02-10', '07:00'), SYSTEM);
    return state;
  }

  it('reminder at the deadline, cadre task an hour later, door visit at the second miss, transfer at the third', () => {
    const state = isolatedCase();
    expect(nextWakeAt(state)).toBe(at('2026-02-10', '10:00'));
    expect(markMissedSlots(state, at('2026-02-10', '10:00')).map((n) => n.kind)).toEqual(['check_in_reminder']);
    expect(state.escalation?.level).toBe(1);
    expect(nextWakeAt(state)).toBe(at('2026-02-10', '11:00'));
    expect(dueCadreTask(state, at('2026-02-10', '10:59'))).toBeUndefined();
    expect(dueCadreTask(state, at('2026-02-10', '11:00'))?.kind).toBe('cadre_task');
    expect(state.escalation?.level).toBe(2);
    expect(markMissedSlots(state, at('2026-02-10', '20:00')).map((n) => n.kind)).toEqual(['check_in_reminder', 'door_visit']);
    expect(state.escalation?.level).toBe(3);
    expect(markMissedSlots(state, at('2026-02-11', '10:00')).map((n) => n.kind)).toEqual(['check_in_reminder', 'door_visit', 'transfer_recommended']);
    expect(state.escalation?.level).toBe(4);
    expect(state.consecutiveMisses).toBe(3);
  });

  it('a late check-in closes the escalation and is recorded as late', () => {
    const state = isolatedCase();
    markMissedSlots(state, at('2026-02-10', '10:00'));
    const outcome = recordCheckIn(state, { temperatureC: 36.5, symptoms: ['none'], reportedBy: 'landlord' }, SYSTEM, at('2026-02-10', '10:20'));
    expect(outcome.escalationClosed).toBe(true);
    expect(state.slots[0].status).toBe('late');
    expect(state.escalation).toBeUndefined();
    expect(state.consecutiveMisses).toBe(0);
  });

  it('an abnormal check-in opens a medical review and alerts the doctor', () => {
    const state = isolatedCase();
    const outcome = recordCheckIn(state, { temperatureC: 37.8, symptoms: ['fever', 'cough'], reportedBy: 'returnee' }, SYSTEM, at('2026-02-10', '08:00'));
    expect(outcome.notify.map((n) => n.kind)).toEqual(['abnormal_check_in']);
    expect(statusOf(state)).toBe('medical_review');
  });
});

describe('release eligibility', () => {
  it('blocks on an abnormal reading in the last 48 hours, an open escalation, or a non-green code', () => {
    const state = newCase('sf-test', makeIntake(), policy, at('2026-02-10', '07:00'), SYSTEM);
    startIsolation(state, 'home', '2026-02-10', at('2026-02-10', '07:00'), SYSTEM);
    const end = state.isolation!.endsAt;
    expect(releaseBlockers(state, end, 'green')).toEqual([]);
    expect(releaseBlockers(state, end, 'yellow')).toEqual(['健康码复核为黄码']);
    state.readings.push({ id: 'r1', at: end - 47 * HOUR_MS, temperatureC: 37.5, symptoms: ['none'], reportedBy: 'returnee', abnormal: true, placement: 'unscheduled' });
    expect(releaseBlockers(state, end)).toEqual(['近 48 小时内有异常打卡']);
    expect(releaseBlockers(state, end + 2 * HOUR_MS)).toEqual([]);
  });

  it('a blocked release re-checks a day later and keeps check-ins going', () => {
    const state = newCase('sf-test', makeIntake(), policy, at('2026-02-10', '07:00'), SYSTEM);
    startIsolation(state, 'home', '2026-02-10', at('2026-02-10', '07:00'), SYSTEM);
    const end = state.isolation!.endsAt;
    expect(recordReleaseAttempt(state, end, ['健康码复核为黄码'])).toBe('blocked');
    expect(statusOf(state)).toBe('release_blocked');
    expect(state.release!.nextAttemptAt).toBe(end + 24 * HOUR_MS);
    expect(state.slots[state.slots.length - 1].id).toBe('2026-02-24-evening');
  });

  it('policy 2026.2 requires a supervisor sign-off', () => {
    const strict = policyByVersion('2026.2');
    const state = newCase('sf-test', makeIntake(), strict, at('2026-02-10', '07:00'), SYSTEM);
    startIsolation(state, 'home', '2026-02-10', at('2026-02-10', '07:00'), SYSTEM);
    expect(state.isolation!.days).toBe(7);
    expect(recordReleaseAttempt(state, state.isolation!.endsAt, [])).toBe('awaiting_sign_off');
    expect(statusOf(state)).toBe('awaiting_sign_off');
  });
});

describe('changing the period', () => {
  it('extending adds slots and moves the end; shortening drops future slots', () => {
    const state = newCase('sf-test', makeIntake(), policy, at('2026-02-10', '07:00'), SYSTEM);
    startIsolation(state, 'home', '2026-02-10', at('2026-02-10', '07:00'), SYSTEM);
    changePeriod(state, 3, '密接待查', SYSTEM, at('2026-02-11', '12:00'));
    expect(state.slots).toHaveLength(34);
    expect(new Date(state.isolation!.endsAt).toISOString()).toBe('2026-02-26T12:00:00.000Z');
    changePeriod(state, -10, '复核后缩短', SYSTEM, at('2026-02-11', '12:00'));
    expect(state.isolation!.days).toBe(7);
    expect(state.slots).toHaveLength(14);
  });
});

describe('intake validation', () => {
  it('accepts a complete intake and normalises the ID number', () => {
    const intake = makeIntake();
    const parsed = IntakeSchema.parse({ ...intake, person: { ...intake.person, idCardNumber: intake.person.idCardNumber.toLowerCase() } });
    expect(parsed.person.idCardNumber).toBe(intake.person.idCardNumber);
  });
  it('names each bad field', () => {
    const result = IntakeSchema.safeParse({ ...makeIntake(), person: { name: '', idCardNumber: '123', phone: '555' }, landlord: undefined });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['person.name', 'person.idCardNumber', 'person.phone', 'landlord']));
  });
  it('requires the landlord of a renter to have signed the commitment letter', () => {
    const result = IntakeSchema.safeParse(makeIntake({ landlord: { name: '李建国', phone: '13900001111', commitmentSigned: false } }));
    expect(result.error?.issues[0].path).toEqual(['landlord', 'commitmentSigned']);
  });
  it('rejects "none" together with a symptom', () => {
    expect(CheckInSchema.safeParse({ temperatureC: 36.5, symptoms: ['none', 'cough'], reportedBy: 'returnee' }).success).toBe(false);
  });
  it('checks the ID number checksum', () => {
    const id = idCardNumber();
    expect(isValidIdCard(id)).toBe(true);
    expect(isValidIdCard(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'))).toBe(false);
  });
});

describe('policy versions', () => {
  it('only own versions are known; inherited names are not', async () => {
    const { isKnownPolicyVersion, refuseMalformedPolicy } = await import('../../domain');
    expect(isKnownPolicyVersion('2026.2')).toBe(true);
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(isKnownPolicyVersion(name)).toBe(false);
      expect(() => policyByVersion(name)).toThrow(/unknown policy version/);
    }
    expect(refuseMalformedPolicy(policyByVersion('2026.2'))).toBeUndefined();
    expect(refuseMalformedPolicy({} as never)).toBe('the policy is malformed');
    expect(refuseMalformedPolicy({ ...policy, slots: [{ period: 'morning', opens: '10:00', due: '06:00' }] })).toBe('the policy is malformed');
  });
});
