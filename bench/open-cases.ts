// The cases this run has opened: who registers next, and which case the next check-in goes to.
import type { Intake } from '../domain/schemas';
import { localDateOf } from '../domain/time';
import { benchIntake } from './intake';

/** Cases visited in turn, from the first again after the last (a live view of the array it is given). */
export class CaseRing {
  private cursor = 0;

  constructor(private readonly ids: readonly string[]) {}

  get count(): number {
    return this.ids.length;
  }

  pick(): string {
    if (this.ids.length === 0) throw new Error('no open case to check in to');
    return this.ids[this.cursor++ % this.ids.length];
  }

  /** The cases dealt in turn into two rings (a ring of one case gives it to both). */
  halves(): [CaseRing, CaseRing] {
    if (this.ids.length < 2) return [new CaseRing(this.ids), new CaseRing(this.ids)];
    return [0, 1].map((side) => new CaseRing(this.ids.filter((_, i) => i % 2 === side))) as [CaseRing, CaseRing];
  }
}

export class OpenCases {
  private readonly ids: string[] = [];
  private serial = 0;
  private ring = new CaseRing(this.ids);

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
    this.ring = new CaseRing(this.ids);
  }

  pick(): string {
    return this.ring.pick();
  }

  /** Every case, in the current order. */
  all(): CaseRing {
    return new CaseRing(this.ids.slice());
  }

  /**
   * The current order split in two: its first `poolSize` cases, and the rest (all of them when
   * nothing is left over), so that one load (a warm-up) never visits the cases another measures.
   */
  split(poolSize: number): { pool: CaseRing; rest: CaseRing } {
    const rest = this.ids.slice(poolSize);
    return { pool: new CaseRing(this.ids.slice(0, poolSize)), rest: rest.length > 0 ? new CaseRing(rest) : this.all() };
  }
}
