// Item 4: a village (or ten) whose check-in deadline passes in the same minute, nobody checking in.
// The cases get a bench policy whose deadline is the next whole minute after they can all be
// registered (real time, no time skipping); then we watch visibility until every case shows
// escalation level ≥ 1, and the worker until every check-in reminder has been delivered.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchEnvironment } from '../environment';
import { throughput } from '../load';
import type { OpenCases } from '../open-cases';
import { rawPath } from '../paths';
import { burstPolicy, nextWholeMinute, shanghaiClock } from '../policies';
import { CpuAccount, describeCpu } from '../process-usage';
import type { ResultRow } from '../report';
import { ServerDbAccount } from '../server-db';
import { describeCacheUse } from '../worker-child';
import { registerMany } from './registration';

const POLL_MS = 1000; // each poll is a count over the visibility table, on the same SQLite connection as the burst
const GIVE_UP_SECONDS = 600;
const REMINDER = 'check_in_reminder';

export interface BurstOptions {
  clients: number;
  /** Registrations per second seen so far, to choose a deadline they can all make. */
  expectedRate: number;
  say: (line: string) => void;
}

export async function measureDeadlineBurst(env: BenchEnvironment, open: OpenCases, size: number, options: BurstOptions): Promise<ResultRow> {
  const expectedSeconds = size / Math.max(1, options.expectedRate);
  const deadline = nextWholeMinute(Date.now() + (2 * expectedSeconds + 20) * 1000);
  const policy = burstPolicy(size, deadline);
  const name = 'deadline burst';
  const remindersBefore = (await env.worker.notified())[REMINDER] ?? 0;
  options.say(`  registering ${size} cases due at ${shanghaiClock(deadline)} Shanghai (in ${Math.round((deadline - Date.now()) / 1000)} s)…`);

  const registration = await registerMany(rawPath(env.cases, policy, env.actor), open, size, options.clients);
  const registered = `registered in ${registration.seconds.toFixed(0)} s (${Math.round(throughput(registration))}/s)`;
  if (registration.completed < size || Date.now() >= deadline) {
    return { name, unit: 's', openCases: open.count, notes: `not measured: only ${registration.completed} of ${size} ${registered} before the deadline` };
  }
  await sleep(deadline - Date.now());

  const query = `TaskQueue = '${env.worker.settings.taskQueue}' AND CasePolicyVersion = '${policy.version}' AND CaseEscalationLevel >= 1`;
  const reachedAt: Record<'p50' | 'p95' | 'p99' | 'all', number | undefined> = { p50: undefined, p95: undefined, p99: undefined, all: undefined };
  let remindersAt: number | undefined;
  let escalated = 0;
  const cpu = new CpuAccount(env.processes);
  const db = new ServerDbAccount(env.server?.metricsUrl);
  const cacheBefore = await env.worker.cacheMetrics();
  await db.during(() => cpu.during(async () => {
    while (Date.now() - deadline < GIVE_UP_SECONDS * 1000 && (reachedAt.all === undefined || remindersAt === undefined)) {
      escalated = (await env.cases.temporal.workflow.count(query)).count;
      const since = Date.now() - deadline;
      for (const [key, share] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99], ['all', 1]] as const) {
        if (reachedAt[key] === undefined && escalated >= Math.ceil(share * size)) reachedAt[key] = since;
      }
      const reminders = ((await env.worker.notified())[REMINDER] ?? 0) - remindersBefore;
      if (remindersAt === undefined && reminders >= size) remindersAt = Date.now() - deadline;
      await sleep(POLL_MS);
    }
  }));

  const seconds = (t?: number) => (t === undefined ? `not within ${GIVE_UP_SECONDS} s` : `${(t / 1000).toFixed(1)} s`);
  return {
    name, unit: 's to all escalated',
    value: reachedAt.all === undefined ? undefined : reachedAt.all / 1000,
    p50: reachedAt.p50, p95: reachedAt.p95, p99: reachedAt.p99,
    openCases: open.count,
    notes: [
      `${size} cases due at ${shanghaiClock(deadline)} Shanghai (policy ${policy.version}: 2026.1 with deadlines moved; real time)`,
      `${escalated} of ${size} escalated in visibility; p50/p95/p99 = ms after the deadline until that share was visible (polled every ${POLL_MS} ms)`,
      `all reminders delivered after ${seconds(remindersAt)}`,
      registered,
      `CPU ${describeCpu(cpu.percent())}`,
      describeCacheUse(cacheBefore, await env.worker.cacheMetrics()),
      db.describePer('escalation', size),
    ].filter(Boolean).join('; '),
  };
}
