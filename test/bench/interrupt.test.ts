// Ctrl-C to `npm run bench`, as a terminal sends it (SIGINT to the whole process group): the run
// ends with 130 and leaves nothing behind — no dev server, no worker, no temporary database (a
// long run's is gigabytes) — both while it is still starting and in the middle of a measurement.
// Under the tsx CLI (the npm script until session 14) a busy bench missed this under load: the CLI
// SIGKILLs a child that has not acknowledged a relayed signal within ~60 ms, so no exit hook ran.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { procStatFields } from '../../bench/process-usage';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every live process whose chain of parents leads to `pid` (from /proc). */
function descendantsOf(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), Number(procStatFields(Number(entry))[1]));
    } catch { /* gone meanwhile */ }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) if (ppid === parent) { found.push(child); queue.push(child); }
  }
  return found.map((child) => {
    let command = '';
    try { command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { /* gone */ }
    return { pid: child, command };
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Run {
  child: ChildProcess;
  tmp: string;
  output: () => string;
  exited: Promise<number | null>;
}

const runs: Run[] = [];
const RESULTS = 'latest.json';

/**
 * The bench as `npm run bench` runs it (`node --import tsx`), in a process group of its own, its
 * TMPDIR fresh and its results file in there too (not bench/latest.json).
 */
function startBench(args: string[]): Run {
  const tmp = mkdtempSync(join(tmpdir(), 'sanfan-interrupt-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args, '--out', join(tmp, RESULTS)], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp, TEMPORAL_ADDRESS: '' },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += chunk; });
  child.stderr!.on('data', (chunk) => { output += chunk; });
  // 'close', not 'exit': the output may still be in the pipes when the process has exited.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const run = { child, tmp, output: () => output, exited };
  runs.push(run);
  return run;
}

afterEach(() => {
  for (const run of runs.splice(0)) {
    for (const { pid } of descendantsOf(run.child.pid!)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    try { process.kill(-run.child.pid!, 'SIGKILL'); } catch { /* gone */ }
    rmSync(run.tmp, { recursive: true, force: true });
  }
});

/** Sends SIGINT to the run's process group; returns its exit code once every process it had is gone. */
async function interrupt(run: Run): Promise<{ code: number | null; left: string[]; files: string[] }> {
  const before = descendantsOf(run.child.pid!);
  process.kill(-run.child.pid!, 'SIGINT');
  const code = await run.exited;
  await until(() => before.every(({ pid }) => !isAlive(pid)), 20_000, 'the bench\'s processes to end').catch(() => undefined);
  return {
    code,
    left: before.filter(({ pid }) => isAlive(pid)).map(({ command }) => command),
    // tsx keeps a compile cache of its own there (tsx-<uid>): only the bench's files count.
    files: readdirSync(run.tmp).filter((name) => name.startsWith('sanfan-bench-') || name === RESULTS),
  };
}

describe('Ctrl-C to the bench', () => {
  it('while it is starting: the dev server it had started and its files go with it', async () => {
    const run = startBench(['--only', '1', '--registrations', '100']);
    await until(() => descendantsOf(run.child.pid!).some(({ command }) => command.includes('server start-dev')), 60_000, 'the dev server to start');
    expect(readdirSync(run.tmp).some((name) => name.startsWith('sanfan-bench-'))).toBe(true);

    const { code, left, files } = await interrupt(run);
    expect(run.output()).not.toContain('1. registration');
    expect(code).toBe(130);
    expect(left).toEqual([]);
    expect(files).toEqual([]);
  }, 120_000);

  it('in the middle of a measurement: the rows so far printed, none written, nothing left running, no database left', async () => {
    // A short registration, then a rush far longer than the test: interrupted with check-ins in flight.
    const run = startBench(['--only', '1,2', '--registrations', '40', '--checkins', '100000']);
    await until(() => run.output().includes('2. check-in rush'), 150_000, 'the check-in rush to start');
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const { code, left, files } = await interrupt(run);
    expect(code).toBe(130);
    expect(run.output()).toMatch(/measured before SIGINT \(incomplete run\):\s+\S[^]*registration/);
    expect(run.output()).toContain('SIGINT: run abandoned, nothing written');
    expect(run.output()).not.toMatch(/Error|ERR_/);
    expect(left).toEqual([]);
    expect(files).toEqual([]);
  }, 240_000);
});
