// The cases this run has opened: who registers next, and which case the next check-in goes to.
import type { Intake } from '../domain/schemas';
import { localDateOf } from '../domain/time';
import { benchIntake } from './intake';

export class OpenCases {
  private readonly ids: string[] = [];
  private serial = 0;
  private cursor = 0;

  /** A new person's intake (never the same person twice in a run), arriving today. */
  nextIntake(): Intake {
    return benchIntake(this.serial++, localDateOf(Date.now()));
  }

  add(caseId: string): void {
    this.ids.push(caseId);
  }

  get count(): number {
    return this.ids.length;
  }

  /**
   * Shuffles the order check-ins visit cases in: a rush reaches every case once before any twice
   * (no two clients queue on one case), spread over all of them (as many as the cache cannot hold).
   */
  shuffle(): void {
    for (let i = this.ids.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [this.ids[i], this.ids[j]] = [this.ids[j], this.ids[i]];
    }
    this.cursor = 0;
  }

  pick(): string {
    if (this.ids.length === 0) throw new Error('no open case to check in to');
    return this.ids[this.cursor++ % this.ids.length];
  }
}
