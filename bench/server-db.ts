// What the embedded server's database did during a measurement, from the dev server's own
// Prometheus metrics: calls by persistence operation and the time spent in them. The dev server
// reaches its SQLite file through one connection, so these calls run one at a time: their total
// time is what bounds the server's throughput when its CPU sits at one core.
import { scrape, type Sample } from './prometheus';

export type DbCalls = Record<string, { calls: number; seconds: number }>;

/** Persistence and visibility calls by operation, summed over namespaces and services. */
export function dbCalls(samples: Sample[]): DbCalls {
  const calls: DbCalls = {};
  const add = (operation: string, field: 'calls' | 'seconds', value: number) => {
    calls[operation] ??= { calls: 0, seconds: 0 };
    calls[operation][field] += value;
  };
  for (const { name, labels, value } of samples) {
    const operation = labels.operation;
    if (!operation) continue;
    if (name === 'persistence_requests' || name === 'visibility_persistence_requests') add(operation, 'calls', value);
    if (name === 'persistence_latency_sum' || name === 'visibility_persistence_latency_sum') add(operation, 'seconds', value);
  }
  return calls;
}

/** The calls made between two readings of the counters, by operation. */
export function callsBetween(before: DbCalls, after: DbCalls): DbCalls {
  return Object.fromEntries(Object.entries(after).map(([operation, now]) => {
    const then = before[operation] ?? { calls: 0, seconds: 0 };
    return [operation, { calls: now.calls - then.calls, seconds: now.seconds - then.seconds }];
  }));
}

export class ServerDbAccount {
  private readonly total: DbCalls = {};

  constructor(private readonly metricsUrl: string | undefined) {}

  /**
   * Runs `work` and adds the database calls made meanwhile to the account. The server publishes
   * its counters periodically (about a second), so each end of a window may be off by that much
   * work; the bench's windows are tens of seconds.
   */
  async during<T>(work: () => Promise<T>): Promise<T> {
    if (!this.metricsUrl) return work();
    const before = dbCalls(await scrape(this.metricsUrl));
    try {
      return await work();
    } finally {
      const after = dbCalls(await scrape(this.metricsUrl).catch(() => []));
      for (const [operation, made] of Object.entries(callsBetween(before, after))) {
        const sum = (this.total[operation] ??= { calls: 0, seconds: 0 });
        sum.calls += made.calls;
        sum.seconds += made.seconds;
      }
    }
  }

  /**
   * "server DB per escalation: 5.0 calls, 9.1 ms (UpdateWorkflowExecution 2.0 / 4.2 ms, …)":
   * the busiest operations by time, per item of work.
   */
  describePer(item: string, items: number, top = 4): string | undefined {
    if (!this.metricsUrl || items === 0) return undefined;
    const used = Object.entries(this.total).filter(([, c]) => c.calls > 0).sort(([, a], [, b]) => b.seconds - a.seconds);
    const per = (n: number) => n / items;
    const calls = used.reduce((sum, [, c]) => sum + c.calls, 0);
    const seconds = used.reduce((sum, [, c]) => sum + c.seconds, 0);
    const ms = (s: number) => `${(per(s) * 1000).toFixed(2)} ms`;
    const busiest = used.slice(0, top).map(([operation, c]) => `${operation} ${per(c.calls).toFixed(2)} / ${ms(c.seconds)}`);
    return `server DB per ${item}: ${per(calls).toFixed(1)} calls, ${ms(seconds)} (${busiest.join(', ')})`;
  }
}
