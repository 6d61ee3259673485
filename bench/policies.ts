// Bench policies: the standard policy (2026.1) with its two daily deadlines moved, because real
// deadlines (10:00 and 20:00 Shanghai) would either never pass during a run or pass in the middle
// of one. Everything else — 14 days, the escalation ladder — is the standard policy's.
import { policyByVersion, type Policy } from '../domain/policy';
import { DAY_MS, HOUR_MS, MINUTE_MS, SHANGHAI_OFFSET_MS } from '../domain/time';

const MINUTES_PER_DAY = 24 * 60;

/** Minutes after Shanghai midnight at an instant. */
function shanghaiMinuteOfDay(epochMs: number): number {
  return Math.floor(((epochMs + SHANGHAI_OFFSET_MS) % DAY_MS) / MINUTE_MS);
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The standard policy with deadlines at `dueMinute` and twelve hours later. The earlier slot's
 * window opens at midnight and the later one's at the earlier deadline, so a check-in fills the
 * next slot whenever that slot falls on today's date.
 */
function withDeadlines(version: string, description: string, dueMinute: number): Policy {
  const [first, second] = [dueMinute, (dueMinute + MINUTES_PER_DAY / 2) % MINUTES_PER_DAY].sort((a, b) => a - b);
  return {
    ...policyByVersion('2026.1'),
    version,
    description,
    slots: [
      { period: 'morning', opens: '00:00', due: hhmm(first) },
      { period: 'evening', opens: hhmm(first), due: hhmm(second) },
    ],
  };
}

/**
 * For the open cases held during the run: the next deadline is at least `quietHours` away, and
 * its slot is open now, so a check-in fills it (`done`) as most real check-ins do. That needs the
 * deadline on today's Shanghai date; in the last `quietHours` of the day it falls tomorrow and
 * check-ins until midnight are extra readings (`unscheduled`), as they would be for a returnee.
 */
export function holdPolicy(now: number, quietHours = 2): Policy {
  const today = shanghaiMinuteOfDay(now);
  // Within 11 h: the other deadline, 12 h earlier, must have passed, since it opens this slot.
  const latest = Math.min(today + 11 * 60, MINUTES_PER_DAY - 1);
  const due = latest - today >= quietHours * 60 ? latest : shanghaiMinuteOfDay(now + quietHours * HOUR_MS);
  return withDeadlines('bench-hold', `压测：在管个案（截止时间 ${hhmm(due)}，${quietHours} 小时内无截止）`, due);
}

/** For a deadline burst: every case's next deadline is `deadline` (a whole minute). */
export function burstPolicy(cases: number, deadline: number): Policy {
  if (deadline % MINUTE_MS !== 0) throw new Error('a burst deadline must fall on a whole minute');
  const due = shanghaiMinuteOfDay(deadline);
  return withDeadlines(`bench-burst-${cases}`, `压测：${cases} 个个案同一分钟（${hhmm(due)}）截止`, due);
}

/** The first whole minute at or after `epochMs`. */
export function nextWholeMinute(epochMs: number): number {
  return Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
}

export function shanghaiClock(epochMs: number): string {
  return hhmm(shanghaiMinuteOfDay(epochMs));
}
