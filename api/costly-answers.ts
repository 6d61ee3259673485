// Counts that are costly to take, reused for a few seconds. A total over every open case reads
// every one of them (~0.4 s at the zone's 190,000 on the embedded dev server), on the server's one
// SQLite connection that every check-in waits for; a supervisor paging through a list, or several
// looking at the same one, asked it again each time. Cheap answers (a village's list, a narrow one)
// are never kept: they stay exact. A caller that needs the count of this moment asks for it fresh.
import { rememberBounded } from '../infra/bounded-map';

export interface CostlyAnswerOptions {
  /** How long a costly answer is reused; 0: never (identical requests at the same time still share one). */
  reuseMs: number;
  /** An answer that took less than this is not kept: asking again is cheap and exact. */
  minCostMs: number;
  /** Distinct answers kept at most (lists × village scopes); the oldest is forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

/** What a count must cost before it is reused: at 10,000 open cases the zone's largest list counts in ~20 ms. */
export const COSTLY_COUNT_MS = 50;

/** The reuse in words, for the bench's notes. */
export function describeReuse({ reuseMs, minCostMs }: Pick<CostlyAnswerOptions, 'reuseMs' | 'minCostMs'>): string {
  return reuseMs > 0 ? `a count that took ${minCostMs} ms or more reused for ${reuseMs / 1000} s` : 'no count reused';
}

/** A value and when it was asked for: what it describes is as of then. */
export interface Answer<T> { value: T; at: number }

export class CostlyAnswers {
  private readonly kept = new Map<string, Answer<unknown>>();
  private readonly pending = new Map<string, Promise<Answer<unknown>>>();
  private readonly now: () => number;

  constructor(private readonly options: CostlyAnswerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The answer for `key`: a costly one kept less than `reuseMs` ago, one being asked for now, or a new one. */
  get<T>(key: string, ask: () => Promise<T>, { fresh = false } = {}): Promise<Answer<T>> {
    const kept = this.kept.get(key) as Answer<T> | undefined;
    if (!fresh && kept && this.now() - kept.at < this.options.reuseMs) return Promise.resolve(kept);
    const pending = this.pending.get(key) as Promise<Answer<T>> | undefined;
    if (!fresh && pending) return pending;
    const asked = this.ask(key, ask);
    if (!fresh) {
      this.pending.set(key, asked);
      const forget = () => { if (this.pending.get(key) === asked) this.pending.delete(key); };
      asked.then(forget, forget);
    }
    return asked;
  }

  private async ask<T>(key: string, ask: () => Promise<T>): Promise<Answer<T>> {
    const at = this.now();
    const answer = { value: await ask(), at };
    // A later answer for the same key (a fresh request that overtook this one) stands.
    if ((this.kept.get(key)?.at ?? -Infinity) > at) return answer;
    if (this.options.reuseMs > 0 && this.now() - at >= this.options.minCostMs) {
      rememberBounded(this.kept, key, answer, this.options.maxEntries ?? 1000);
    } else {
      this.kept.delete(key);
    }
    return answer;
  }
}

/** Whether the request asks for an answer of this moment (`Cache-Control: no-cache`, as a browser's reload sends). */
export function wantsFresh(cacheControl: string | undefined): boolean {
  return /(^|,)\s*(no-cache|no-store|max-age=0)\s*(,|$)/i.test(cacheControl ?? '');
}
