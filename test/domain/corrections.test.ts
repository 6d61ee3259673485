// December 2026's corrections to the rules (workflows/rule-revisions.ts), and the old rules that
// cases begun before them keep while they replay. Pure functions, no Temporal.
import { describe, expect, it } from 'vitest';
import {
  SYSTEM, adoptPolicy, atLocalMinutes, celsius, changePeriod, currentPlacement, dueCadreTask, grantPass, markMissedSlots, newCase, nextWakeAt,
  policyByVersion, reconsiderOnRegistration, recordCheckIn, refuseRetriage, releaseBlocked, startIsolation, closeCase,
  type CaseState,
} from '../../domain';
import { makeIntake } from '../support/intake';

const policy = policyByVersion('2026.1');
const at = (date: string, hhmm: string) => atLocalMinutes(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const normal = { temperatureC: 36.5, symptoms: ['none' as const], reportedBy: 'returnee' as const };
const slot = (state: CaseState, id: string) => state.slots.find((s) => s.id === id)!;

function homeIsolation(registeredAt = at('2026-02-10', '07:00')): CaseState {
  const state = newCase('sf-test', makeIntake({ arrivalDate: '2026-02-10' }), policy, registeredAt, SYSTEM);
  startIsolation(state, 'home', '2026-02-10', registeredAt, SYSTEM);
  return state;
}

describe('where a check-in goes', () => {
  it('just after a deadline the case has not acted on yet, it is late, and the deadline then escalates nothing', () => {
    const state = homeIsolation();
    const outcome = recordCheckIn(state, normal, SYSTEM, at('2026-02-10', '10:00') + 30_000);
    expect(outcome.reading).toMatchObject({ slotId: '2026-02-10-morning', placement: 'late' });
    expect(markMissedSlots(state, at('2026-02-10', '10:01'))).toEqual([]);
    expect(state.escalation).toBeUndefined();
    expect(nextWakeAt(state)).toBe(at('2026-02-10', '20:00'));
  });

  it('the old rule (replay only) kept such a check-in unscheduled and escalated the slot', () => {
    const state = homeIsolation();
    const outcome = recordCheckIn(state, normal, SYSTEM, at('2026-02-10', '10:00') + 30_000, true);
    expect(outcome.reading.placement).toBe('unscheduled');
    expect(markMissedSlots(state, at('2026-02-10', '10:01')).map((n) => n.kind)).toEqual(['check_in_reminder']);
  });

  it('after a missed morning, a check-in in the evening window fills the evening on time and ends the escalation', () => {
    const state = homeIsolation();
    markMissedSlots(state, at('2026-02-10', '10:00'));
    const outcome = recordCheckIn(state, normal, SYSTEM, at('2026-02-10', '17:00'));
    expect(outcome.reading).toMatchObject({ slotId: '2026-02-10-evening', placement: 'done' });
    expect(outcome.escalationClosed).toBe(true);
    expect(slot(state, '2026-02-10-morning').status).toBe('missed');
    expect(markMissedSlots(state, at('2026-02-10', '20:00'))).toEqual([]);
  });

  it('the old rule (replay only) filled the missed morning late and left the evening to be missed', () => {
    const state = homeIsolation();
    markMissedSlots(state, at('2026-02-10', '10:00'));
    const outcome = recordCheckIn(state, normal, SYSTEM, at('2026-02-10', '17:00'), true);
    expect(outcome.reading).toMatchObject({ slotId: '2026-02-10-morning', placement: 'late' });
    expect(markMissedSlots(state, at('2026-02-10', '20:00')).map((n) => n.kind)).toEqual(['check_in_reminder']);
  });

  it('outside any window, the latest missed slot is still filled late', () => {
    const state = homeIsolation();
    markMissedSlots(state, at('2026-02-10', '10:00'));
    expect(recordCheckIn(state, normal, SYSTEM, at('2026-02-10', '12:00')).reading).toMatchObject({ slotId: '2026-02-10-morning', placement: 'late' });
  });

  it('deadlines that passed unseen before a check-in are missed without a reminder, and nothing escalates after it', () => {
    const state = homeIsolation();
    // The case acted on neither of the 10th's deadlines (a worker down overnight); a check-in on the 11th at 08:00.
    const outcome = recordCheckIn(state, normal, SYSTEM, at('2026-02-11', '08:00'));
    expect(outcome.reading).toMatchObject({ slotId: '2026-02-11-morning', placement: 'done' });
    expect(outcome.notify).toEqual([]);
    expect([slot(state, '2026-02-10-morning').status, slot(state, '2026-02-10-evening').status]).toEqual(['missed', 'missed']);
    expect(state.timeline.filter((e) => e.type === 'slot_missed').map((e) => e.summary))
      .toEqual(['2026-02-10 上午未打卡（其后已打卡）', '2026-02-10 下午未打卡（其后已打卡）']);
    expect(markMissedSlots(state, at('2026-02-11', '08:01'))).toEqual([]);
    expect(state.consecutiveMisses).toBe(0);
  });
});

describe('a green pass ends the run of misses', () => {
  const pass = { passId: 'p1', token: 't', validFrom: '2026-02-12T00:00:00.000Z', validUntil: '2026-03-14T00:00:00.000Z' };

  it('so the case leaves the overdue list', () => {
    const state = homeIsolation();
    markMissedSlots(state, at('2026-02-10', '20:00'));
    expect(state.consecutiveMisses).toBe(2);
    grantPass(state, pass, at('2026-02-11', '09:00'), SYSTEM);
    expect(state.consecutiveMisses).toBe(0);
  });

  it('the old rule (replay only) kept the count', () => {
    const state = homeIsolation();
    markMissedSlots(state, at('2026-02-10', '20:00'));
    grantPass(state, pass, at('2026-02-11', '09:00'), SYSTEM, true);
    expect(state.consecutiveMisses).toBe(2);
  });
});

describe('adopting a policy keeps a doctor\'s extension', () => {
  it('14 days at home extended by 3, then 2026.2 (7 days at home): 10 days', () => {
    const state = homeIsolation();
    changePeriod(state, 3, '医生建议', SYSTEM, at('2026-02-10', '09:00'));
    adoptPolicy(state, policyByVersion('2026.2'), SYSTEM, at('2026-02-10', '09:30'));
    expect(state.isolation!.days).toBe(14 + 3 - (14 - 7));
  });

  it('a central isolation extended by 7 keeps its 21 days under a policy with the same central period', () => {
    const state = homeIsolation();
    startIsolation(state, 'central', '2026-02-10', at('2026-02-10', '08:00'), SYSTEM);
    changePeriod(state, 7, '医生建议', SYSTEM, at('2026-02-10', '09:00'));
    adoptPolicy(state, policyByVersion('2026.2'), SYSTEM, at('2026-02-10', '09:30'));
    expect(state.isolation!.days).toBe(policy.centralisedIsolationDays + 7);
    expect(state.timeline.at(-1)!.type).toBe('policy_adopted');
  });

  it('the old rule (replay only) set the new policy\'s period and dropped the extension', () => {
    const state = homeIsolation();
    changePeriod(state, 3, '医生建议', SYSTEM, at('2026-02-10', '09:00'));
    adoptPolicy(state, policyByVersion('2026.2'), SYSTEM, at('2026-02-10', '09:30'), true);
    expect(state.isolation!.days).toBe(7);
  });
});

describe('a registration that reaches an open case', () => {
  const pass = { passId: 'p1', token: 't', validFrom: '2026-02-01T00:00:00.000Z', validUntil: '2026-03-01T00:00:00.000Z' };

  it('moves a green-pass holder who is back with a yellow or a red code, and stamps why', () => {
    for (const [healthCode, placement] of [['yellow', 'home_isolation'], ['red', 'central_isolation']] as const) {
      const state = newCase('sf-test', makeIntake({ healthCode: 'green' }), policy, at('2026-02-01', '07:00'), SYSTEM);
      grantPass(state, pass, at('2026-02-01', '07:00'), SYSTEM);
      expect(reconsiderOnRegistration(state, makeIntake({ healthCode, arrivalDate: '2026-02-20' }), SYSTEM, at('2026-02-20', '09:00'))).toBe(placement);
      expect(state.healthCode).toBe(healthCode);
      expect(state.timeline.at(-1)).toMatchObject({ type: 'retriaged', data: { placement } });
    }
  });

  it('moves a person in home isolation to central isolation on a red code or a fever', () => {
    expect(reconsiderOnRegistration(homeIsolation(), makeIntake({ healthCode: 'red' }), SYSTEM, at('2026-02-11', '09:00'))).toBe('central_isolation');
    expect(reconsiderOnRegistration(homeIsolation(), makeIntake({ healthCode: 'yellow', temperatureC: 38.1 }), SYSTEM, at('2026-02-11', '09:00'))).toBe('central_isolation');
  });

  it('never lets anyone out: a green scan of a person in isolation, or the same yellow again, changes nothing', () => {
    for (const healthCode of ['green', 'yellow'] as const) {
      const state = homeIsolation();
      const before = structuredClone(state);
      expect(reconsiderOnRegistration(state, makeIntake({ healthCode }), SYSTEM, at('2026-02-11', '09:00'))).toBeUndefined();
      expect(state).toEqual(before);
    }
    expect(currentPlacement(homeIsolation())).toBe('home_isolation');
  });

  it('changes nothing on a closed case', () => {
    const state = homeIsolation();
    closeCase(state, 'left_zone', SYSTEM, at('2026-02-11', '09:00'));
    expect(reconsiderOnRegistration(state, makeIntake({ healthCode: 'red' }), SYSTEM, at('2026-02-11', '10:00'))).toBeUndefined();
  });
});

describe('re-triage during a medical review', () => {
  it('may not hand out a green pass before the doctor decides, but may move the person to a facility', () => {
    const state = homeIsolation();
    recordCheckIn(state, { temperatureC: 36.6, symptoms: ['cough'], reportedBy: 'returnee' }, SYSTEM, at('2026-02-10', '08:00'));
    expect(state.review).toBeDefined();
    expect(refuseRetriage(state, { healthCode: 'green', temperatureC: 36.5, reason: '复核为绿码' })).toMatch(/open medical review/);
    expect(refuseRetriage(state, { healthCode: 'red', reason: '红码' })).toBeUndefined();
    expect(refuseRetriage(homeIsolation(), { healthCode: 'green', temperatureC: 36.5, reason: '录入错误' })).toBeUndefined();
  });
});

describe('notification idempotency keys', () => {
  it('differ between two cases of the same person, and between release attempts with the same number', () => {
    // The same person registered, closed and registered again, both before the 10:00 deadline.
    const first = homeIsolation(at('2026-02-10', '07:00'));
    const second = homeIsolation(at('2026-02-10', '08:00'));
    const reminder = (state: CaseState) => markMissedSlots(state, at('2026-02-10', '10:00'))[0].idempotencyKey;
    expect(reminder(first)).not.toBe(reminder(second));
    expect(reminder(homeIsolation(at('2026-02-10', '07:00')))).toBe(reminder(homeIsolation(at('2026-02-10', '07:00'))));
    const end = first.isolation!.endsAt;
    expect(releaseBlocked(first, end, ['x']).idempotencyKey).not.toBe(releaseBlocked(first, end + 86_400_000, ['x']).idempotencyKey);
  });
});

describe('temperatures in texts', () => {
  it('show one decimal and are never rounded across the fever threshold', () => {
    expect([36.5, 38, 37.25, 37.2999].map(celsius)).toEqual(['36.5', '38.0', '37.25', '37.2999']);
    const state = homeIsolation();
    recordCheckIn(state, { ...normal, temperatureC: 37.25 }, SYSTEM, at('2026-02-10', '08:00'));
    expect(state.timeline.at(-1)!.summary).toBe('按时打卡：37.25℃，正常');
  });
});

describe('the ladder in a facility', () => {
  it('calls on the facility\'s staff and doctor, never the landlord, the police or a transfer to central isolation', () => {
    const state = homeIsolation();
    startIsolation(state, 'central', '2026-02-10', at('2026-02-10', '07:30'), SYSTEM);
    const first = markMissedSlots(state, at('2026-02-10', '10:00'));
    const cadre = dueCadreTask(state, at('2026-02-10', '11:00'))!;
    const second = markMissedSlots(state, at('2026-02-11', '10:00'));
    const all = [...first, cadre, ...second];
    expect(all.map((n) => n.kind)).toEqual(['check_in_reminder', 'cadre_task', 'check_in_reminder', 'door_visit', 'check_in_reminder', 'door_visit', 'transfer_recommended']);
    const audiences = new Set(all.flatMap((n) => n.audiences));
    expect([...audiences].sort()).toEqual(['area_supervisor', 'doctor', 'facility_staff']);
    expect(all.map((n) => n.text).join('')).not.toMatch(/房东|民警|上门|研判是否转为集中/);
    // At home the same ladder calls on the village.
    const home = homeIsolation();
    expect(markMissedSlots(home, at('2026-02-10', '10:00'))[0].audiences).toEqual(['returnee', 'landlord']);
  });
});
