// Local time in the zone. Asia/Shanghai has been UTC+8 all year since 1991 (no DST), so a fixed
// offset is exact and keeps these functions pure and usable inside the workflow sandbox.
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const match = LOCAL_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The Shanghai calendar date at an instant. */
export function localDateOf(epochMs: number): LocalDate {
  return new Date(epochMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a Shanghai wall-clock time, `minutes` after local midnight of `date`. */
export function atLocalMinutes(date: LocalDate, minutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + minutes * MINUTE_MS;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** "HH:MM" → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
