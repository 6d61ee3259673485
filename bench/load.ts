// Two ways to load the engine. Closed loop: `concurrency` clients, each sending its next request as
// soon as the last one is answered (finds the most it can do; latency then is queueing by design).
// Open loop: requests arrive at a fixed rate whether or not earlier ones were answered, as people
// checking in do (latency at a given load). Both stop at `total` or the time limit: the bench always ends.

/** No load step runs longer than this unless it says otherwise: the bench always ends. */
export const LOAD_TIME_LIMIT_SECONDS = 300;

export interface LoadOptions {
  total: number;
  concurrency: number;
  /** No new request starts after this many seconds; those in flight are awaited. */
  maxSeconds: number;
  operation: (index: number) => Promise<unknown>;
}

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  /** Per completed request. */
  latenciesMs: number[];
  /** A few distinct error messages, for the notes. */
  errors: string[];
  /** True when the time limit stopped the load before `total`. */
  truncated: boolean;
}

/** What both loads record: latencies of the answered, a count and a few messages of the failed. */
class Recorder {
  readonly started = performance.now();
  readonly stopAt: number;
  private readonly latenciesMs: number[] = [];
  private readonly errors = new Set<string>();
  private failed = 0;

  constructor(maxSeconds: number) {
    this.stopAt = this.started + maxSeconds * 1000;
  }

  get timeIsUp(): boolean {
    return performance.now() >= this.stopAt;
  }

  answered(since: number): void {
    this.latenciesMs.push(performance.now() - since);
  }

  refused(error: unknown): void {
    this.failed += 1;
    if (this.errors.size < 3) this.errors.add(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }

  result(truncated: boolean): LoadResult {
    return {
      completed: this.latenciesMs.length, failed: this.failed, seconds: (performance.now() - this.started) / 1000,
      latenciesMs: this.latenciesMs, errors: [...this.errors], truncated,
    };
  }
}

export async function runClosedLoop(options: LoadOptions): Promise<LoadResult> {
  const { total, concurrency, maxSeconds, operation } = options;
  const recorder = new Recorder(maxSeconds);
  let next = 0;

  async function client(): Promise<void> {
    while (next < total && !recorder.timeIsUp) {
      const index = next++;
      const sent = performance.now();
      try {
        await operation(index);
        recorder.answered(sent);
      } catch (error) {
        recorder.refused(error);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, client));
  return recorder.result(next < total);
}

export interface OpenLoopOptions {
  total: number;
  /** Requests started per second, evenly spaced. */
  ratePerSecond: number;
  /** No new request starts after this many seconds; those in flight are awaited. */
  maxSeconds: number;
  /** Requests in flight beyond this are not sent (counted as failed): an overloaded engine must not take the bench down with it. */
  maxInFlight: number;
  operation: (index: number) => Promise<unknown>;
}

/**
 * Sends request i at start + i / rate. Latency runs from when the request was due, not when it was
 * sent, so a load generator that falls behind shows up in the latencies instead of hiding them
 * (coordinated omission). `seconds` covers the whole run, so throughput is the rate achieved.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const { total, ratePerSecond, maxSeconds, maxInFlight, operation } = options;
  const recorder = new Recorder(maxSeconds);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;

  while (sent < total) {
    const due = recorder.started + (sent * 1000) / ratePerSecond;
    if (due > recorder.stopAt) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const index = sent++;
    if (inFlight.size >= maxInFlight) {
      recorder.refused(`more than ${maxInFlight} requests in flight`);
      continue;
    }
    const request = operation(index).then(() => recorder.answered(due), (error) => recorder.refused(error))
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return recorder.result(sent < total);
}

/** `total` split into `parts` whole shares, in order, that add up to it and differ by at most one. */
export function evenShares(total: number, parts: number): number[] {
  const upTo = (n: number) => Math.floor((total * n) / parts);
  return Array.from({ length: parts }, (_, i) => upTo(i + 1) - upTo(i));
}

/** Merges the legs of an API/raw comparison into one result per side. */
export function mergeLoads(results: readonly LoadResult[]): LoadResult {
  return {
    completed: results.reduce((n, r) => n + r.completed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    seconds: results.reduce((n, r) => n + r.seconds, 0),
    latenciesMs: results.flatMap((r) => r.latenciesMs),
    errors: [...new Set(results.flatMap((r) => r.errors))].slice(0, 3),
    truncated: results.some((r) => r.truncated),
  };
}

export function throughput(result: LoadResult): number {
  return result.seconds > 0 ? result.completed / result.seconds : 0;
}
