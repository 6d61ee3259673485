// The client interceptor that addresses each case's updates to its current run (saving the
// server a lookup per check-in), against a real server: a case closed and registered again by
// another client still gets every update, in the run it has now. (Continuing as new leaves the
// remembered run closed in the same way: case-lifecycle.test.ts, whose client has the interceptor.)
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowClientInterceptor } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CaseClient } from '../../api/case-client';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { CurrentRuns } from '../../infra/current-runs';
import { dataConverter } from '../../infra/temporal';
import { closeUpdate, noteUpdate, timelineQuery } from '../../workflows/definitions';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';
import { testSecrets } from '../support/keys';

const caseworker: Actor = { role: 'caseworker', id: 'cw-current-runs', villages: ['dafenshanyan'] };
const policy = policyByVersion('2026.1');

let worker: Awaited<ReturnType<typeof startCaseWorker>>;
let currentRuns: CurrentRuns;
/** The run ID each update was sent with, as the server received it (undefined: by workflow ID alone). */
let sentTo: (string | undefined)[];
/** Cases through the interceptor; `plain` is another client without it (another API process, say). */
let cases: CaseClient;
let plain: CaseClient;

beforeAll(async () => {
  worker = await startCaseWorker(inject('devServerAddress'));
  const recorder: WorkflowClientInterceptor = {
    startUpdate(input, next) {
      sentTo.push(input.workflowExecution.runId);
      return next(input);
    },
  };
  const withInterceptors = (workflow: WorkflowClientInterceptor[]) => new Client({
    connection: worker.connection, namespace: 'default', dataConverter: dataConverter(testSecrets), interceptors: { workflow },
  });
  currentRuns = new CurrentRuns();
  cases = new CaseClient({ client: withInterceptors([currentRuns, recorder]), taskQueue: worker.taskQueue, caseIdKey: testSecrets.caseIdKey });
  plain = new CaseClient({ client: withInterceptors([]), taskQueue: worker.taskQueue, caseIdKey: testSecrets.caseIdKey });
}, 60_000);

afterAll(() => worker?.stop());

const note = (client: CaseClient, caseId: string, text: string) => client.handle(caseId).executeUpdate(noteUpdate, { args: [{ text }, caseworker] });
const currentRunOf = async (caseId: string) => (await plain.handle(caseId).describe()).runId;
const lastNote = async (caseId: string) => (await plain.handle(caseId).query(timelineQuery)).filter((e) => e.type === 'note').at(-1)?.summary;

describe('updates sent to the case’s current run', () => {
  it('go to the run the registration reached, without a lookup by workflow ID', async () => {
    const { case: c } = await cases.register(makeIntake(), policy, caseworker);
    const run = await currentRunOf(c.caseId);
    expect(currentRuns.runOf(c.caseId)).toBe(run);

    sentTo = [];
    await note(cases, c.caseId, '第一次');
    await note(cases, c.caseId, '第二次');
    expect(sentTo).toEqual([run, run]);
    expect(await lastNote(c.caseId)).toBe('第二次');
  });

  it('reach the new case when another client closed it and registered the person again', async () => {
    const intake = makeIntake();
    const { case: c } = await cases.register(intake, policy, caseworker);
    const oldRun = currentRuns.runOf(c.caseId);
    await plain.handle(c.caseId).executeUpdate(closeUpdate, { args: [{ reason: 'duplicate' }, caseworker] });
    const again = await plain.register(intake, policy, caseworker);
    expect(again.created).toBe(true);
    const newRun = await currentRunOf(c.caseId);
    expect(newRun).not.toBe(oldRun);

    sentTo = [];
    await note(cases, c.caseId, '回来了');
    expect(sentTo).toEqual([oldRun, undefined]);
    expect(currentRuns.runOf(c.caseId)).toBe(newRun);
    expect(await lastNote(c.caseId)).toBe('回来了');
  });

  it('leave an update addressed to a run as it is: a closed run stays closed to updates', async () => {
    const intake = makeIntake();
    const { case: c } = await cases.register(intake, policy, caseworker);
    const closedRun = currentRuns.runOf(c.caseId)!;
    await cases.handle(c.caseId).executeUpdate(closeUpdate, { args: [{ reason: 'duplicate' }, caseworker] });
    await cases.register(intake, policy, caseworker);

    sentTo = [];
    await expect(cases.handle(c.caseId, closedRun).executeUpdate(noteUpdate, { args: [{ text: '旧的' }, caseworker] }))
      .rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(sentTo).toEqual([closedRun]);
  });

  it('send a refused update once, and an update to no case by workflow ID alone', async () => {
    const { case: c } = await cases.register(makeIntake(), policy, caseworker);
    const outsider: Actor = { role: 'caseworker', id: 'cw-elsewhere', villages: ['lanjie'] };
    sentTo = [];
    await expect(cases.handle(c.caseId).executeUpdate(noteUpdate, { args: [{ text: '越权' }, outsider] }))
      .rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(sentTo).toEqual([currentRuns.runOf(c.caseId)]);

    const nobody = cases.caseIdFor(makeIntake().person.idCardNumber);
    sentTo = [];
    await expect(note(cases, nobody, '没有这个人')).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect(sentTo).toEqual([undefined]);
    expect(currentRuns.runOf(nobody)).toBeUndefined();
  });

  it('forget the oldest runs beyond their limit', async () => {
    const small = new CurrentRuns(2);
    const output = (runId: string) => async () => ({ updateId: 'u', workflowRunId: runId });
    const input = (workflowId: string) => ({ updateName: 'note', args: [], workflowExecution: { workflowId }, headers: {}, options: {} as never });
    for (const id of ['a', 'b', 'c']) await small.startUpdate(input(id), output(`run-${id}`));
    expect([small.runOf('a'), small.runOf('b'), small.runOf('c')]).toEqual([undefined, 'run-b', 'run-c']);
  });
});
