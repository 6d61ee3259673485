// The guard the SDK patch puts on each workflow thread (WorkerThreadClient in
// patches/@temporalio+worker+*.patch), on a stand-in thread whose answers arrive as real
// messages: it must stop a thread that is stuck, and only such a thread.
import { EventEmitter } from 'node:events';
import { MessageChannel, type Worker as NodeWorker } from 'node:worker_threads';
import { WorkerThreadClient } from '@temporalio/worker/lib/workflow/threaded-vm';
import { afterEach, describe, expect, it } from 'vitest';

const TIMEOUT_MS = 300;
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Records what the client sends; answers, when told to, through a MessagePort like the real thread. */
class StandInThread extends EventEmitter {
  readonly pending: bigint[] = [];
  terminated = false;
  private readonly channel = new MessageChannel();

  constructor() {
    super();
    this.channel.port1.on('message', (message) => this.emit('message', message));
  }

  postMessage(request: { requestId: bigint }): void {
    this.pending.push(request.requestId);
  }

  /** The oldest request's answer, read by the client in a later turn of its event loop. */
  answerOldest(): void {
    const requestId = this.pending.shift();
    this.channel.port2.postMessage({ requestId, result: { type: 'ok', output: { type: 'answered' } } });
  }

  async terminate(): Promise<number> {
    this.terminated = true;
    setImmediate(() => this.emit('exit', 1));
    return 1;
  }

  close(): void {
    this.channel.port1.close();
  }
}

const threads: StandInThread[] = [];
function guardedThread() {
  const thread = new StandInThread();
  threads.push(thread);
  const client = new WorkerThreadClient(thread as unknown as NodeWorker, quiet);
  client.guardAgainstStuckWorkflows(TIMEOUT_MS);
  const activate = (runId: string) => client.send({ type: 'activate-workflow', runId, activation: {} } as never);
  return { thread, activate };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  for (const thread of threads.splice(0)) thread.close();
});

describe('the stuck-thread guard', () => {
  it('terminates a thread that answers nothing while work is pending, naming the runs', async () => {
    const { thread, activate } = guardedThread();
    await expect(activate('run-stuck')).rejects.toThrow(/answered nothing for \d+ ms.*run-stuck/);
    expect(thread.terminated).toBe(true);
  });

  it('leaves a busy thread alone while it keeps answering, however long its queue', async () => {
    const { thread, activate } = guardedThread();
    const answers = Array.from({ length: 12 }, (_, i) => activate(`run-${i}`));
    for (let i = 0; i < 12; i++) {
      await sleep(TIMEOUT_MS / 3);
      thread.answerOldest();
    }
    // 12 answers over 4 timeouts' worth of time: the queue took long, the thread never stalled.
    expect(await Promise.all(answers)).toEqual(Array(12).fill({ type: 'answered' }));
    expect(thread.terminated).toBe(false);
  });

  it('does not blame the thread for a stall of the thread that watches it', async () => {
    const { thread, activate } = guardedThread();
    const answer = activate('run-1');
    thread.answerOldest(); // answered at once, but read only after the stall below
    const until = Date.now() + 3 * TIMEOUT_MS;
    while (Date.now() < until) {
      // the main thread is blocked (a synchronous activity, a long GC)
    }
    await expect(answer).resolves.toEqual({ type: 'answered' });
    expect(thread.terminated).toBe(false);
  });

  it('counts silence from when work arrives, not from the last answer before an idle spell', async () => {
    const { thread, activate } = guardedThread();
    await sleep(3 * TIMEOUT_MS);
    const answer = activate('run-after-idle');
    await sleep(TIMEOUT_MS / 3);
    thread.answerOldest();
    await expect(answer).resolves.toEqual({ type: 'answered' });
    expect(thread.terminated).toBe(false);
  });
});
