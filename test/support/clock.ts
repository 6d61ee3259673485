// Moving a time-skipping test server's clock to Shanghai wall-clock moments.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, atLocalMinutes, localDateOf, minutesOf, type LocalDate } from '../../domain/time';

export class Clock {
  constructor(private readonly env: TestWorkflowEnvironment) {}

  now(): Promise<number> {
    return this.env.currentTimeMs();
  }

  /** The instant of `hh:mm` Shanghai time on `date`. */
  at(date: LocalDate, hhmm: string): number {
    return atLocalMinutes(date, minutesOf(hhmm));
  }

  /** Skips time forward to `epochMs` (timers due before it fire on the way). */
  async advanceTo(epochMs: number): Promise<void> {
    const now = await this.now();
    if (epochMs > now) await this.env.sleep(epochMs - now);
  }

  /** Moves to `hh:mm` of the next day with that time still ahead, and returns that day. */
  async nextDayAt(hhmm: string): Promise<LocalDate> {
    const now = await this.now();
    let date = localDateOf(now);
    if (this.at(date, hhmm) <= now) date = addDays(date, 1);
    await this.advanceTo(this.at(date, hhmm));
    return date;
  }
}
