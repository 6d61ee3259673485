// Check-in slots: two a day (morning and evening), each with a window and a deadline in
// Asia/Shanghai time, for every day of an isolation period.
import type { Policy } from './policy';
import type { Symptom } from './schemas';
import { addDays, atLocalMinutes, daysBetween, localDateOf, minutesOf, type LocalDate } from './time';

export type SlotStatus = 'pending' | 'done' | 'late' | 'missed';

export interface Slot {
  /** `YYYY-MM-DD-morning`: unique within a case, the idempotency key of its escalation. */
  id: string;
  date: LocalDate;
  period: 'morning' | 'evening';
  opensAt: number;
  dueAt: number;
  status: SlotStatus;
  /** When the check-in that filled it arrived. */
  checkedInAt?: number;
  abnormal?: boolean;
}

/** Slots of `days` days from `startDate`, keeping only those whose deadline is after `afterMs`. */
export function buildSlots(startDate: LocalDate, days: number, policy: Policy, afterMs: number): Slot[] {
  const slots: Slot[] = [];
  for (let day = 0; day < days; day++) {
    const date = addDays(startDate, day);
    for (const rule of policy.slots) {
      const dueAt = atLocalMinutes(date, minutesOf(rule.due));
      if (dueAt <= afterMs) continue;
      slots.push({
        id: `${date}-${rule.period}`, date, period: rule.period,
        opensAt: atLocalMinutes(date, minutesOf(rule.opens)), dueAt, status: 'pending',
      });
    }
  }
  return slots;
}

/** The end of an isolation period: the last deadline of its last day. */
export function periodEndsAt(startDate: LocalDate, days: number, policy: Policy): number {
  const lastDue = Math.max(...policy.slots.map((rule) => minutesOf(rule.due)));
  return atLocalMinutes(addDays(startDate, days - 1), lastDue);
}

/** Day N (1-based) of an isolation that started on `startDate`, clamped to [1, days]. */
export function dayOfPeriod(startDate: LocalDate, days: number, now: number): number {
  return Math.min(days, Math.max(1, daysBetween(startDate, localDateOf(now)) + 1));
}

export type CheckInPlacement = { slotId: string; status: 'done' | 'late' } | { slotId: undefined; status: 'unscheduled' };

/**
 * Which slot a check-in at `now` fills. An open window comes first: the slot due next is filled on
 * time (a morning missed and then a check-in at 17:00 is the evening's check-in, not the morning's).
 * Otherwise the latest slot past its deadline is filled late: one marked missed, or one still
 * pending because its deadline passed a moment ago and the case has not acted on it yet (while
 * thousands of deadlines pass at once that moment can last a minute, and a check-in in it must
 * count). Anything else (a second reading, a reading at night) is kept as an unscheduled reading.
 *
 * `legacy`: the rule of cases that began before the correction above (the latest missed slot
 * first, a pending one past its deadline not at all); their recorded histories replay with it.
 */
export function placeCheckIn(slots: readonly Slot[], now: number, legacy = false): CheckInPlacement {
  const past = slots.filter((s) => s.dueAt < now);
  const latestPast = past[past.length - 1];
  const current = slots.find((s) => s.dueAt >= now);
  const currentOpen = current && current.status === 'pending' && current.opensAt <= now;
  if (legacy) {
    if (latestPast?.status === 'missed') return { slotId: latestPast.id, status: 'late' };
  } else if (!currentOpen && (latestPast?.status === 'missed' || latestPast?.status === 'pending')) {
    return { slotId: latestPast.id, status: 'late' };
  }
  if (currentOpen) return { slotId: current.id, status: 'done' };
  return { slotId: undefined, status: 'unscheduled' };
}

export function nextPendingSlot(slots: readonly Slot[]): Slot | undefined {
  return slots.find((s) => s.status === 'pending');
}

/** Pending slots whose deadline has passed at `now`, oldest first. */
export function slotsPastDeadline(slots: readonly Slot[], now: number): Slot[] {
  return slots.filter((s) => s.status === 'pending' && s.dueAt <= now);
}

export function isAbnormalReading(temperatureC: number, symptoms: readonly Symptom[], policy: Policy): boolean {
  return temperatureC >= policy.feverThresholdC || symptoms.some((s) => s !== 'none');
}
