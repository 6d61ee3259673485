// A returnee's case as data, and the procedure's state changes as functions of (state, input,
// now). The workflow owns the state and performs side effects; these functions decide.
// They mutate the state they are given (the workflow's own object) and return what to do next.
import {
  abnormalCheckIn, cadreTask, checkInReminder, doorVisit, transferRecommended, type NotificationDraft,
} from './notices';
import type { Policy } from './policy';
import type { CheckIn, HealthCodeColour, Intake } from './schemas';
import {
  buildSlots, dayOfPeriod, isAbnormalReading, nextPendingSlot, periodEndsAt, placeCheckIn, slotsPastDeadline, type Slot,
} from './slots';
import { HOUR_MS, MINUTE_MS, addDays, iso, localDateOf, type LocalDate } from './time';
import { celsius, isStricter, triage, type Placement, type TriageResult } from './triage';

export type Role = 'caseworker' | 'doctor' | 'supervisor' | 'checkpoint' | 'system';
/**
 * Who does something: a staff account, never the returnee's identity. `villages` scopes a
 * caseworker (undefined: the whole zone); it is checked, not recorded.
 */
export interface Actor { role: Role; id: string; villages?: string[] }
export const SYSTEM: Actor = { role: 'system', id: 'sanfan' };

export type CaseStatus =
  | 'home_isolation' | 'central_isolation' | 'medical_review' | 'release_blocked'
  | 'awaiting_sign_off' | 'green_pass' | 'closed';

export type CloseReason = 'left_zone' | 'hospitalised' | 'transferred_out' | 'duplicate';

export type TimelineType =
  | 'registered' | 'triaged' | 'isolation_started' | 'check_in' | 'slot_missed' | 'escalated'
  | 'escalation_closed' | 'medical_review_opened' | 'doctor_decision' | 'visit' | 'contact_attempt'
  | 'note' | 'period_changed' | 'transferred' | 'retriaged' | 'release_blocked' | 'awaiting_sign_off'
  | 'signed_off' | 'pass_issued' | 'pass_revoked' | 'policy_adopted' | 'closed';

export interface TimelineEntry {
  at: string;
  actor: Actor;
  type: TimelineType;
  summary: string;
  data?: Record<string, unknown>;
}

export interface Reading {
  id: string;
  at: number;
  temperatureC: number;
  symptoms: CheckIn['symptoms'];
  reportedBy: CheckIn['reportedBy'];
  abnormal: boolean;
  slotId?: string;
  placement: 'done' | 'late' | 'unscheduled';
}

export interface Isolation {
  kind: 'home' | 'central';
  startDate: LocalDate;
  days: number;
  endsAt: number;
  facility?: { facilityId: string; facilityName: string };
}

/** An open run of missed slots, climbing the ladder until a check-in closes it. */
export interface Escalation {
  openedAt: number;
  lastSlotId: string;
  /** 1 reminder · 2 cadre task · 3 doctor and police door visit · 4 transfer recommended. */
  level: number;
  /** When the cadre task of the latest miss is due; cleared once sent. */
  cadreTaskAt?: number;
}

export interface ReleaseProgress {
  attempts: number;
  nextAttemptAt: number;
  blockedReasons: string[];
  awaitingSignOff: boolean;
  signedOff?: { by: Actor; at: number };
}

export interface PassRecord {
  passId: string;
  token: string;
  validFrom: string;
  validUntil: string;
  revoked?: { at: string; reason: string };
}

export interface CaseState {
  caseId: string;
  intake: Intake;
  village: string;
  address: string;
  healthCode: HealthCodeColour;
  policy: Policy;
  registeredAt: number;
  /** How many registrations reached this case (the first created it). */
  registrations: number;
  triage: TriageResult & { at: number };
  isolation?: Isolation;
  slots: Slot[];
  readings: Reading[];
  consecutiveMisses: number;
  escalation?: Escalation;
  review?: { openedAt: number; readingId: string };
  release?: ReleaseProgress;
  pass?: PassRecord;
  closed?: { reason: CloseReason; at: number; note?: string };
  timeline: TimelineEntry[];
}

export function record(state: CaseState, now: number, actor: Actor, type: TimelineType, summary: string, data?: Record<string, unknown>): void {
  state.timeline.push({ at: iso(now), actor: { role: actor.role, id: actor.id }, type, summary, ...(data ? { data } : {}) });
}

const ref = (state: CaseState) => ({
  caseId: state.caseId, village: state.village, registeredAt: state.registeredAt, inFacility: state.isolation?.kind === 'central',
});

export function newCase(caseId: string, intake: Intake, policy: Policy, now: number, actor: Actor): CaseState {
  const state: CaseState = {
    caseId, intake, village: intake.village, address: intake.address, healthCode: intake.healthCode, policy,
    registeredAt: now, registrations: 0,
    triage: { ...triage(intake.healthCode, intake.temperatureC, policy), at: now },
    slots: [], readings: [], consecutiveMisses: 0, timeline: [],
  };
  record(state, now, actor, 'registered', `登记备案（${intake.healthCode === 'green' ? '绿码' : intake.healthCode === 'yellow' ? '黄码' : '红码'}，${celsius(intake.temperatureC)}℃）`,
    { village: intake.village, arrivalDate: intake.arrivalDate, policyVersion: policy.version });
  record(state, now, actor, 'triaged', state.triage.reason, { placement: state.triage.placement, policyVersion: policy.version });
  return state;
}

export function statusOf(state: CaseState): CaseStatus {
  if (state.closed) return 'closed';
  if (!state.isolation) return 'green_pass';
  if (state.review) return 'medical_review';
  if (state.release?.awaitingSignOff) return 'awaiting_sign_off';
  if (state.release?.blockedReasons.length) return 'release_blocked';
  return state.isolation.kind === 'home' ? 'home_isolation' : 'central_isolation';
}

/** Where the person is now, as triage would put it; undefined once the case is closed. */
export function currentPlacement(state: CaseState): Placement | undefined {
  if (state.closed) return undefined;
  if (!state.isolation) return 'green_pass';
  return state.isolation.kind === 'home' ? 'home_isolation' : 'central_isolation';
}

/**
 * A registration that reached a case already open. A stricter triage than where the person is now
 * (a green-pass holder back with a yellow or red code, a person in home isolation now red or with
 * fever) re-triages the case and answers where it must go; anything else changes nothing, since a
 * checkpoint's scan is no way out of isolation (re-triage is).
 */
export function reconsiderOnRegistration(state: CaseState, intake: Intake, actor: Actor, now: number): Placement | undefined {
  const current = currentPlacement(state);
  const result = triage(intake.healthCode, intake.temperatureC, state.policy);
  if (!current || !isStricter(result.placement, current)) return undefined;
  state.healthCode = intake.healthCode;
  state.triage = { ...result, at: now };
  record(state, now, actor, 'retriaged', `再次登记：${result.reason}`, { placement: result.placement, healthCode: intake.healthCode });
  return result.placement;
}

export function isolationDays(kind: Isolation['kind'], policy: Policy): number {
  return kind === 'home' ? policy.homeIsolationDays : policy.centralisedIsolationDays;
}

/** Starts (or restarts) an isolation period; any open escalation and release progress end. */
export function startIsolation(
  state: CaseState, kind: Isolation['kind'], startDate: LocalDate, now: number, actor: Actor,
  facility?: Isolation['facility'],
): void {
  const days = isolationDays(kind, state.policy);
  state.isolation = { kind, startDate, days, endsAt: periodEndsAt(startDate, days, state.policy), facility };
  state.slots = buildSlots(startDate, days, state.policy, now);
  state.escalation = undefined;
  state.consecutiveMisses = 0;
  state.release = undefined;
  if (state.pass && !state.pass.revoked) state.pass.revoked = { at: iso(now), reason: 'isolation_started' };
  const where = kind === 'home' ? '居家隔离' : `集中医学隔离（${facility?.facilityName ?? '待分配'}）`;
  record(state, now, actor, 'isolation_started', `${where} ${days} 天，自 ${startDate} 起`,
    { kind, startDate, days, endsAt: iso(state.isolation.endsAt), facilityId: facility?.facilityId });
}

export interface CheckInOutcome {
  reading: Reading;
  escalationClosed: boolean;
  notify: NotificationDraft[];
}

/** `legacy`: the rules of cases begun before December 2026's corrections (see `placeCheckIn`). */
export function recordCheckIn(state: CaseState, checkIn: CheckIn, actor: Actor, now: number, legacy = false): CheckInOutcome {
  const placement = placeCheckIn(state.slots, now, legacy);
  // Earlier deadlines that passed unseen are missed, but need no reminder now that the person
  // has checked in: without this the next wake-up would escalate them after this check-in.
  if (!legacy) {
    for (const slot of slotsPastDeadline(state.slots, now)) {
      if (slot.id !== placement.slotId) markMissed(state, slot, 0);
    }
  }
  const abnormal = isAbnormalReading(checkIn.temperatureC, checkIn.symptoms, state.policy);
  const reading: Reading = {
    id: `r${state.readings.length + 1}`, at: now, temperatureC: checkIn.temperatureC, symptoms: checkIn.symptoms,
    reportedBy: checkIn.reportedBy, abnormal, slotId: placement.slotId, placement: placement.status,
  };
  state.readings.push(reading);
  const slot = state.slots.find((s) => s.id === placement.slotId);
  if (slot) {
    slot.status = placement.status as Slot['status'];
    slot.checkedInAt = now;
    slot.abnormal = abnormal;
  }
  const zh = { done: '按时打卡', late: '补打卡（迟到）', unscheduled: '额外体温记录' }[placement.status];
  record(state, now, actor, 'check_in', `${zh}：${celsius(checkIn.temperatureC)}℃，${abnormal ? '异常' : '正常'}`,
    { readingId: reading.id, slotId: placement.slotId, placement: placement.status, abnormal, reportedBy: checkIn.reportedBy });

  // Any check-in shows the person is there: the run of misses and its escalation end.
  state.consecutiveMisses = 0;
  const escalationClosed = Boolean(state.escalation);
  if (state.escalation) {
    record(state, now, actor, 'escalation_closed', `升级处置结束（最高第 ${state.escalation.level} 级）`, { level: state.escalation.level });
    state.escalation = undefined;
  }
  const notify: NotificationDraft[] = [];
  if (abnormal && !state.review) {
    state.review = { openedAt: now, readingId: reading.id };
    record(state, now, SYSTEM, 'medical_review_opened', '异常打卡，等待医生复核', { readingId: reading.id });
    notify.push(abnormalCheckIn(ref(state), reading.id, checkIn.temperatureC, checkIn.symptoms));
  }
  return { reading, escalationClosed, notify };
}

/** At a deadline: every slot past due becomes missed and the ladder climbs. */
export function markMissedSlots(state: CaseState, now: number): NotificationDraft[] {
  const notify: NotificationDraft[] = [];
  for (const slot of slotsPastDeadline(state.slots, now)) {
    state.consecutiveMisses += 1;
    const misses = state.consecutiveMisses;
    markMissed(state, slot, misses);
    const policy = state.policy;
    const level = misses >= policy.transferAtMisses ? 4 : misses >= policy.doorVisitAtMisses ? 3 : 1;
    state.escalation = {
      openedAt: state.escalation?.openedAt ?? slot.dueAt,
      lastSlotId: slot.id,
      level: Math.max(level, state.escalation?.level ?? 0),
      cadreTaskAt: slot.dueAt + policy.cadreTaskAfterMinutes * MINUTE_MS,
    };
    notify.push(checkInReminder(ref(state), slot));
    if (misses >= policy.doorVisitAtMisses) notify.push(doorVisit(ref(state), slot.id, misses));
    if (misses >= policy.transferAtMisses) notify.push(transferRecommended(ref(state), slot.id, misses));
    record(state, slot.dueAt, SYSTEM, 'escalated', `升级至第 ${state.escalation.level} 级`, { level: state.escalation.level, slotId: slot.id });
  }
  return notify;
}

/** `misses`: the run of consecutive misses it extends (0: a check-in after it already ended the run). */
function markMissed(state: CaseState, slot: Slot, misses: number): void {
  slot.status = 'missed';
  const run = misses ? `连续第 ${misses} 次` : '其后已打卡';
  record(state, slot.dueAt, SYSTEM, 'slot_missed', `${slot.date} ${slot.period === 'morning' ? '上午' : '下午'}未打卡（${run}）`, { slotId: slot.id, misses });
}

/** An hour after a miss still open: the village cadre gets a task. */
export function dueCadreTask(state: CaseState, now: number): NotificationDraft | undefined {
  const escalation = state.escalation;
  if (!escalation?.cadreTaskAt || escalation.cadreTaskAt > now) return undefined;
  escalation.cadreTaskAt = undefined;
  escalation.level = Math.max(escalation.level, 2);
  record(state, now, SYSTEM, 'escalated', '超时一小时，派单村干部', { level: escalation.level, slotId: escalation.lastSlotId });
  return cadreTask(ref(state), escalation.lastSlotId);
}

/** What keeps the case from a green pass right now (zh-CN reasons); empty means eligible. */
export function releaseBlockers(state: CaseState, now: number, freshCode?: HealthCodeColour): string[] {
  const reasons: string[] = [];
  const since = now - state.policy.releaseLookbackHours * HOUR_MS;
  if (state.readings.some((r) => r.abnormal && r.at >= since)) reasons.push(`近 ${state.policy.releaseLookbackHours} 小时内有异常打卡`);
  if (state.escalation) reasons.push('有未关闭的漏打卡升级');
  if (state.review) reasons.push('医生复核未完成');
  if (freshCode && freshCode !== 'green') reasons.push(`健康码复核为${freshCode === 'yellow' ? '黄码' : '红码'}`);
  return reasons;
}

export type ReleaseDecision = 'release' | 'blocked' | 'awaiting_sign_off';

/** Records one release attempt; when the case stays, the slot table runs on for another day. */
export function recordReleaseAttempt(state: CaseState, now: number, blockers: string[]): ReleaseDecision {
  const policy = state.policy;
  const previous = state.release;
  const needsSignOff = policy.requireSupervisorSignOff && !previous?.signedOff;
  const decision: ReleaseDecision = blockers.length ? 'blocked' : needsSignOff ? 'awaiting_sign_off' : 'release';
  if (decision === 'release') return decision;
  state.release = {
    attempts: (previous?.attempts ?? 0) + 1,
    nextAttemptAt: now + policy.releaseRecheckHours * HOUR_MS,
    blockedReasons: blockers,
    awaitingSignOff: decision === 'awaiting_sign_off',
    signedOff: previous?.signedOff,
  };
  extendSlotsThrough(state, state.release.nextAttemptAt);
  if (decision === 'blocked') record(state, now, SYSTEM, 'release_blocked', `暂不解除隔离：${blockers.join('；')}`, { reasons: blockers });
  else record(state, now, SYSTEM, 'awaiting_sign_off', '满足解除条件，等待督导签字');
  return decision;
}

/** Adds whole days of slots so that check-ins continue until `until`. */
function extendSlotsThrough(state: CaseState, until: number): void {
  const last = state.slots[state.slots.length - 1];
  let nextDate = last ? addDays(last.date, 1) : localDateOf(until);
  while ((state.slots[state.slots.length - 1]?.dueAt ?? 0) < until) {
    state.slots.push(...buildSlots(nextDate, 1, state.policy, 0));
    nextDate = addDays(nextDate, 1);
  }
}

/** `legacy` (cases begun before December 2026): a run of misses outlived the pass, and kept the case on the overdue list. */
export function grantPass(state: CaseState, pass: Omit<PassRecord, 'revoked'>, now: number, actor: Actor, legacy = false): void {
  state.isolation = undefined;
  state.release = undefined;
  state.escalation = undefined;
  if (!legacy) state.consecutiveMisses = 0;
  state.pass = { ...pass };
  record(state, now, actor, 'pass_issued', `发放绿卡通行证，有效期至 ${pass.validUntil.slice(0, 10)}`, { passId: pass.passId, validUntil: pass.validUntil });
}

export function closeCase(state: CaseState, reason: CloseReason, actor: Actor, now: number, note?: string): void {
  state.closed = { reason, at: now, note };
  state.escalation = undefined;
  state.review = undefined;
  if (state.pass && !state.pass.revoked) {
    state.pass.revoked = { at: iso(now), reason: 'case_closed' };
    record(state, now, actor, 'pass_revoked', '绿卡通行证作废（结案）', { passId: state.pass.passId });
  }
  record(state, now, actor, 'closed', `结案：${CLOSE_REASON_ZH[reason]}`, { reason });
}

export const CLOSE_REASON_ZH: Record<CloseReason, string> = {
  left_zone: '离开开发区', hospitalised: '送医治疗', transferred_out: '转出', duplicate: '重复登记',
};

/** Extends (or, with negative days, shortens) the current isolation period. */
export function changePeriod(state: CaseState, days: number, reason: string, actor: Actor, now: number): void {
  const isolation = state.isolation!;
  const newDays = Math.max(1, isolation.days + days);
  const endsAt = periodEndsAt(isolation.startDate, newDays, state.policy);
  // Keep what happened; rebuild the future from now.
  const kept = state.slots.filter((s) => s.dueAt <= now || s.status !== 'pending');
  const future = buildSlots(isolation.startDate, newDays, state.policy, now).filter((s) => !kept.some((k) => k.id === s.id));
  state.slots = [...kept, ...future].filter((s) => s.dueAt <= endsAt || s.status !== 'pending');
  isolation.days = newDays;
  isolation.endsAt = endsAt;
  state.release = undefined;
  record(state, now, actor, 'period_changed', `隔离期${days > 0 ? '延长' : '缩短'} ${Math.abs(days)} 天，共 ${newDays} 天：${reason}`,
    { days, totalDays: newDays, endsAt: iso(endsAt), reason });
}

/**
 * A new policy version for an open case: the period changes by the difference between the two
 * policies' periods, so a doctor's extension survives. `legacy` (cases begun before December
 * 2026): the period was set to the new policy's, dropping any extension.
 */
export function adoptPolicy(state: CaseState, policy: Policy, actor: Actor, now: number, legacy = false): void {
  const previous = state.policy;
  state.policy = policy;
  record(state, now, actor, 'policy_adopted', `执行新政策 ${policy.version}（原 ${previous.version}）：${policy.description}`, { from: previous.version, to: policy.version });
  const isolation = state.isolation;
  if (!isolation) return;
  const days = isolationDays(isolation.kind, policy) - (legacy ? isolation.days : isolationDays(isolation.kind, previous));
  if (days !== 0) changePeriod(state, days, `政策调整为 ${policy.version}`, actor, now);
}

/** The next moment the case must act by itself, or undefined when it only waits for people. */
export function nextWakeAt(state: CaseState): number | undefined {
  if (!state.isolation || state.closed) return undefined;
  const candidates = [
    nextPendingSlot(state.slots)?.dueAt,
    state.escalation?.cadreTaskAt,
    state.release ? state.release.nextAttemptAt : state.isolation.endsAt,
  ].filter((t): t is number => t !== undefined);
  return Math.min(...candidates);
}

export function isReleaseDue(state: CaseState, now: number): boolean {
  if (!state.isolation) return false;
  return now >= (state.release ? state.release.nextAttemptAt : state.isolation.endsAt);
}

export function currentDay(state: CaseState, now: number): { day: number; of: number } | undefined {
  const isolation = state.isolation;
  if (!isolation) return undefined;
  return { day: dayOfPeriod(isolation.startDate, isolation.days, now), of: isolation.days };
}
