// What the case tells people, and whom: notification drafts with their zh-CN text.
// Texts carry the case reference and village, never a name, phone or ID number.
import { celsius } from './triage';
import { villageName } from './villages';

export type Audience =
  | 'returnee' | 'landlord' | 'village_cadre' | 'grid_worker' | 'doctor' | 'police'
  | 'area_supervisor' | 'facility_staff';

export type NotificationKind =
  // The ladder's four rungs; in a facility (集中医学隔离) its staff and doctor take the village's part.
  | 'check_in_reminder'      // rung 1: at the missed deadline, to returnee and landlord (facility staff)
  | 'cadre_task'             // rung 2: an hour later, a task for the village cadre (facility staff)
  | 'door_visit'             // rung 3: second consecutive miss, doctor and police visit (the facility's doctor)
  | 'transfer_recommended'   // rung 4: third consecutive miss, area supervisor (told of the facility's case)
  | 'abnormal_check_in'      // fever or symptom reported: doctor reviews
  | 'centralised_isolation'  // red code / fever at intake, or doctor's decision
  | 'release_blocked'        // period over but conditions not met: supervisor told why
  | 'sign_off_needed'        // policy requires a supervisor's sign-off before release
  | 'green_pass_issued'
  | 'case_closed';

export interface NotificationDraft {
  /** Stable for the same event (case, slot, rung…): a retried delivery is recognised. */
  idempotencyKey: string;
  kind: NotificationKind;
  audiences: Audience[];
  text: string;
}

const PERIOD_ZH = { morning: '上午', evening: '下午' } as const;

/**
 * `registeredAt` tells apart the cases one person has had (they share the case ID); `inFacility`:
 * the person is in centralised isolation, where the facility's people follow them, not the village's.
 */
interface CaseRef { caseId: string; village: string; registeredAt: number; inFacility?: boolean }

/** Unique to the event across all of a person's cases, and the same for every retry of it. */
const keyOf = (c: CaseRef, ...event: string[]) => [c.caseId, c.registeredAt.toString(36), ...event].join(':');

const prefix = (c: CaseRef) => `个案 ${c.caseId}（${villageName(c.village)}）`;

export function checkInReminder(c: CaseRef, slot: { id: string; date: string; period: 'morning' | 'evening' }): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, slot.id, 'reminder'),
    kind: 'check_in_reminder',
    ...(c.inFacility
      ? { audiences: ['facility_staff'], text: `【健康打卡提醒】${prefix(c)} ${slot.date}${PERIOD_ZH[slot.period]}健康打卡已超时，请集中隔离点工作人员核实并协助打卡。` }
      : { audiences: ['returnee', 'landlord'], text: `【健康打卡提醒】${prefix(c)} ${slot.date}${PERIOD_ZH[slot.period]}健康打卡已超时，请隔离人员或房东立即打卡。` }),
  };
}

export function cadreTask(c: CaseRef, slotId: string): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, slotId, 'cadre'),
    kind: 'cadre_task',
    ...(c.inFacility
      ? { audiences: ['facility_staff'], text: `【隔离点任务】${prefix(c)} 超时一小时仍未健康打卡，请集中隔离点工作人员当面核实。` }
      : { audiences: ['village_cadre', 'grid_worker'], text: `【村干部任务】${prefix(c)} 超时一小时仍未健康打卡，请村干部联系核实。` }),
  };
}

export function doorVisit(c: CaseRef, slotId: string, misses: number): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, slotId, 'door-visit'),
    kind: 'door_visit',
    ...(c.inFacility
      ? { audiences: ['doctor', 'facility_staff'], text: `【当面核查】${prefix(c)} 已连续 ${misses} 次未打卡，请集中隔离点医生当面核查健康状况。` }
      : { audiences: ['doctor', 'police'], text: `【上门核查】${prefix(c)} 已连续 ${misses} 次未打卡，请医生和民警上门核查。` }),
  };
}

export function transferRecommended(c: CaseRef, slotId: string, misses: number): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, slotId, 'transfer'),
    kind: 'transfer_recommended',
    audiences: ['area_supervisor'],
    text: c.inFacility
      ? `【连续未打卡】${prefix(c)} 在集中隔离点已连续 ${misses} 次未打卡，请联片领导督促隔离点核查。`
      : `【建议转集中隔离】${prefix(c)} 已连续 ${misses} 次未打卡，请联片领导研判是否转为集中医学隔离。`,
  };
}

export function abnormalCheckIn(c: CaseRef, readingId: string, temperatureC: number, symptoms: string[]): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, readingId, 'abnormal'),
    kind: 'abnormal_check_in',
    audiences: ['doctor'],
    text: `【异常打卡】${prefix(c)} 体温 ${celsius(temperatureC)}℃，症状：${symptoms.join('、')}。请医生复核并作出处置决定。`,
  };
}

export function centralisedIsolation(c: CaseRef, key: string, facilityName: string, reason: string, days: number): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, key, 'centralised'),
    kind: 'centralised_isolation',
    audiences: ['doctor', 'facility_staff', 'village_cadre'],
    text: `【集中医学隔离】${prefix(c)} ${reason}，已安排至${facilityName}集中医学隔离 ${days} 天。`,
  };
}

export function releaseBlocked(c: CaseRef, attemptAt: number, reasons: string[]): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, 'release', attemptAt.toString(36), 'blocked'),
    kind: 'release_blocked',
    audiences: ['area_supervisor'],
    text: `【暂不解除隔离】${prefix(c)} 隔离期满但未满足换取绿卡条件：${reasons.join('；')}。次日复查。`,
  };
}

export function signOffNeeded(c: CaseRef, attemptAt: number): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, 'release', attemptAt.toString(36), 'sign-off'),
    kind: 'sign_off_needed',
    audiences: ['area_supervisor'],
    text: `【待签字】${prefix(c)} 已满足解除隔离条件，请督导签字确认后发放绿卡。`,
  };
}

export function greenPassIssued(c: CaseRef, passId: string, validUntil: string): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, passId, 'issued'),
    kind: 'green_pass_issued',
    audiences: ['returnee', 'landlord', 'village_cadre'],
    text: `【绿卡通行证】${prefix(c)} 已发放绿卡通行证，有效期至 ${validUntil.slice(0, 10)}。绿卡在手，进出无忧。`,
  };
}

export function caseClosed(c: CaseRef, reasonZh: string): NotificationDraft {
  return {
    idempotencyKey: keyOf(c, 'closed'),
    kind: 'case_closed',
    audiences: ['village_cadre'],
    text: `【结案】${prefix(c)} 已结案：${reasonZh}。`,
  };
}
