// What people see of a case (the query answer) and what supervisors' lists index (search
// attribute values). Both derive from the state; nothing here is stored twice.
import { currentDay, nextWakeAt, statusOf, type CaseState, type CaseStatus } from './case';
import { nextPendingSlot, type Slot } from './slots';
import { iso } from './time';
import { villageName } from './villages';

/** One check-in slot as people see it. */
export function slotView(s: Slot) {
  return {
    id: s.id, date: s.date, period: s.period, opensAt: iso(s.opensAt), dueAt: iso(s.dueAt), status: s.status,
    ...(s.checkedInAt !== undefined ? { checkedInAt: iso(s.checkedInAt) } : {}),
    ...(s.abnormal !== undefined ? { abnormal: s.abnormal } : {}),
  };
}

/** When the next pending slot is due, if any. */
export function nextDeadline(state: CaseState): string | undefined {
  const next = nextPendingSlot(state.slots);
  return next ? iso(next.dueAt) : undefined;
}

export function caseView(state: CaseState, now: number) {
  const isolation = state.isolation;
  return {
    caseId: state.caseId,
    status: statusOf(state),
    village: state.village,
    villageName: villageName(state.village),
    address: state.address,
    person: { name: state.intake.person.name, phone: state.intake.person.phone },
    healthCode: state.healthCode,
    policyVersion: state.policy.version,
    registeredAt: iso(state.registeredAt),
    arrivalDate: state.intake.arrivalDate,
    triage: { placement: state.triage.placement, reason: state.triage.reason, policyVersion: state.triage.policyVersion, at: iso(state.triage.at) },
    isolation: isolation && {
      kind: isolation.kind,
      startDate: isolation.startDate,
      days: isolation.days,
      day: currentDay(state, now)!.day,
      endsAt: iso(isolation.endsAt),
      facility: isolation.facility,
    },
    slots: state.slots.map(slotView),
    nextDeadline: nextDeadline(state),
    nextWakeAt: (() => { const t = nextWakeAt(state); return t === undefined ? undefined : iso(t); })(),
    overdueSlots: state.consecutiveMisses,
    escalation: state.escalation && {
      level: state.escalation.level, since: iso(state.escalation.openedAt), lastSlotId: state.escalation.lastSlotId,
      cadreTaskAt: state.escalation.cadreTaskAt === undefined ? undefined : iso(state.escalation.cadreTaskAt),
    },
    review: state.review && { openedAt: iso(state.review.openedAt), reading: state.readings.find((r) => r.id === state.review!.readingId) },
    release: state.release && {
      attempts: state.release.attempts, blockedReasons: state.release.blockedReasons,
      awaitingSignOff: state.release.awaitingSignOff, nextAttemptAt: iso(state.release.nextAttemptAt),
    },
    pass: state.pass && { passId: state.pass.passId, token: state.pass.token, validFrom: state.pass.validFrom, validUntil: state.pass.validUntil, revoked: state.pass.revoked },
    closed: state.closed && { reason: state.closed.reason, at: iso(state.closed.at), note: state.closed.note },
  };
}
export type CaseView = ReturnType<typeof caseView>;

/** Values of the search attributes that supervisors' lists read; no PII among them. */
export interface CaseIndex {
  status: CaseStatus;
  village: string;
  healthCode: string;
  policyVersion: string;
  isolationEnd?: number;
  nextDeadline?: number;
  lastAbnormalAt?: number;
  overdueSlots: number;
  escalationLevel: number;
}

export function caseIndex(state: CaseState): CaseIndex {
  const lastAbnormal = [...state.readings].reverse().find((r) => r.abnormal);
  return {
    status: statusOf(state),
    village: state.village,
    healthCode: state.healthCode,
    policyVersion: state.policy.version,
    isolationEnd: state.isolation?.endsAt,
    nextDeadline: state.closed ? undefined : nextPendingSlot(state.slots)?.dueAt,
    lastAbnormalAt: lastAbnormal?.at,
    overdueSlots: state.consecutiveMisses,
    escalationLevel: state.escalation?.level ?? 0,
  };
}
