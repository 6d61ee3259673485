// The policy rollout on a dev server of its own, so that every open case on it is this file's
// and the counts can be exact: pages, scope, cases already on the version, a case whose worker is
// down, continue-as-new, and the API that starts and follows a rollout. The steps build on each
// other in order (each rollout leaves its village on 2026.2) and use a village each.
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyPemFrom } from '../../activities/green-pass';
import { createApp } from '../../api/app';
import { mintToken } from '../../api/auth';
import { temporalHealth } from '../../api/health';
import { notOnPolicyQuery } from '../../api/worklists';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startDevServer, type DevServer } from '../../infra/dev-server';
import type { policyRollout } from '../../workflows/policy-rollout';
import { caseViewQuery } from '../../workflows/definitions';
import { POLICY_ROLLOUT_WORKFLOW, rolloutIdFor, type RolloutInput } from '../../workflows/rollout-definitions';
import { startCaseWorker } from '../support/case-worker';
import { eventually } from '../support/eventually';
import { makeIntake } from '../support/intake';
import { testSecrets } from '../support/keys';

const actor: Actor = { role: 'supervisor', id: 'sup-rollout-test' };
let server: DevServer;
let worker: Awaited<ReturnType<typeof startCaseWorker>>;

beforeAll(async () => {
  server = await startDevServer({ ui: false });
  // Two cases a page, so that even a village's few cases take several pages.
  worker = await startCaseWorker(server.address, 'default', { rollout: { pageSize: 2 } });
});

afterAll(async () => {
  await worker?.stop();
  await server?.stop();
});

async function registerCases(cases: typeof worker.cases, village: string, count: number, version = '2026.1'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await cases.register(makeIntake({ village }), policyByVersion(version), actor)).case.caseId);
  return ids;
}

/** Visibility has caught up: `count` open cases of the village (or zone) are not on the version. */
async function listedAsNotOn(version: string, count: number, village?: string): Promise<void> {
  const counted = await eventually(() => worker.client.workflow.count(notOnPolicyQuery(version, village)), (c) => c.count === count, 30_000);
  expect(counted.count).toBe(count);
}

const policyOf = async (caseId: string) => (await worker.cases.handle(caseId).query(caseViewQuery)).policyVersion;

function startRollout(input: Omit<RolloutInput, 'actor'>) {
  return worker.client.workflow.start<typeof policyRollout>(POLICY_ROLLOUT_WORKFLOW, {
    workflowId: rolloutIdFor(input.version, input.village), taskQueue: worker.taskQueue, args: [{ ...input, actor }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

describe('a policy rollout', () => {
  it('adopts every open case of its village page by page, skips those already on the version, leaves other villages alone', async () => {
    const jingding = await registerCases(worker.cases, 'jingding', 5);
    const alreadyOn = await registerCases(worker.cases, 'jingding', 1, '2026.2');
    const elsewhere = await registerCases(worker.cases, 'dafenshanyan', 2);
    await listedAsNotOn('2026.2', 5, 'jingding');

    const progress = await (await startRollout({ version: '2026.2', village: 'jingding' })).result();
    expect(progress).toMatchObject({
      rolloutId: 'policy-rollout-2026.2-jingding', version: '2026.2', village: 'jingding', state: 'done', pass: 2,
      adopted: 5, refused: 0, failed: 0,
    });
    expect(Date.parse(progress.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(progress.startedAt));
    for (const caseId of [...jingding, ...alreadyOn]) expect(await policyOf(caseId)).toBe('2026.2');
    for (const caseId of elsewhere) expect(await policyOf(caseId)).toBe('2026.1');
  });

  it('counts a case whose worker is down as failed after both passes; run again once it is back, it adopts it', async () => {
    const lanjie = await registerCases(worker.cases, 'lanjie', 2);
    // A case on a task queue of its own, whose worker then stops: no update can reach it.
    const idle = await startCaseWorker(server.address);
    const [stranded] = await registerCases(idle.cases, 'lanjie', 1);
    await idle.stop();
    await listedAsNotOn('2026.2', 3, 'lanjie');

    const first = await (await startRollout({ version: '2026.2', village: 'lanjie' })).result();
    expect(first).toMatchObject({ state: 'done', adopted: 2, refused: 0, failed: 1 });
    for (const caseId of lanjie) expect(await policyOf(caseId)).toBe('2026.2');

    const back = await startCaseWorker(server.address, 'default', { taskQueue: idle.taskQueue });
    try {
      const again = await (await startRollout({ version: '2026.2', village: 'lanjie' })).result();
      // (An update the server held for the stranded case may have reached it as its worker came
      // back; then the second run finds it on the version already. Either way nothing is left.)
      expect(again).toMatchObject({ state: 'done', refused: 0, failed: 0 });
      expect(await policyOf(stranded)).toBe('2026.2');
      await listedAsNotOn('2026.2', 0, 'lanjie');
    } finally {
      await back.stop();
    }
  });

  it('continues as new when its history passes the budget, keeping its counts and start', async () => {
    // The zone: the two dafenshanyan cases left on 2026.1 above, and three more.
    await registerCases(worker.cases, 'dafenshanyan', 3);
    await listedAsNotOn('2026.2', 5);

    // A page costs some 6 events: a budget of 8 continues as new after every page.
    const started = await startRollout({ version: '2026.2', historyBudget: 8 });
    const progress = await started.result();
    expect(progress).toMatchObject({ rolloutId: 'policy-rollout-2026.2-zone', state: 'done', pass: 2, adopted: 5, refused: 0, failed: 0 });
    expect(progress.village).toBeUndefined();
    const latest = await worker.client.workflow.getHandle(started.workflowId).describe();
    expect(latest.runId).not.toBe(started.firstExecutionRunId);
    const first = await worker.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    // The start is the first run's, carried along: before the last run began.
    expect(Date.parse(progress.startedAt)).toBeGreaterThanOrEqual(first.startTime.getTime());
    expect(Date.parse(progress.startedAt)).toBeLessThan(latest.startTime.getTime());
    await listedAsNotOn('2026.2', 0);
  });
});

describe('the API of policy rollouts', () => {
  it('answers 202 with where to follow a rollout; a second request joins it; the progress ends done', async () => {
    const app = createApp({
      cases: worker.cases, policy: policyByVersion('2026.1'), tokenSecret: testSecrets.tokenSecret,
      passPublicKeyPem: publicKeyPemFrom(testSecrets.passPrivateKeyPem), logger: pino({ level: 'silent' }),
      health: temporalHealth(worker.connection, server.address, 'default'),
      // Answer at once, so that the rollout is still under way when the requests come back.
      adoptionWaitMs: 0,
    });
    const supervisor = `Bearer ${mintToken(testSecrets.tokenSecret, { sub: 'sup-api', role: 'supervisor', villages: [] })}`;
    // Back to 2026.1 for jingding, with one case whose worker is down: it takes the per-case
    // deadline twice (2 s each here), so the rollout lasts a few seconds at least.
    const idle = await startCaseWorker(server.address);
    await registerCases(idle.cases, 'jingding', 1, '2026.2');
    await idle.stop();
    await listedAsNotOn('2026.1', 7, 'jingding');

    const adopt = () => request(app).post('/api/policies/2026.1/adoptions').set('Authorization', supervisor).send({ village: 'jingding' });
    const first = await adopt();
    expect(first.status).toBe(202);
    expect(first.headers.location).toBe('/api/policies/2026.1/adoptions/policy-rollout-2026.1-jingding');
    expect(first.body).toMatchObject({ rolloutId: 'policy-rollout-2026.1-jingding', version: '2026.1', village: 'jingding', state: 'running' });
    const joined = await adopt();
    expect(joined.status).toBe(202);
    expect(joined.body.startedAt).toBe(first.body.startedAt);

    const follow = () => request(app).get(first.headers.location).set('Authorization', supervisor);
    const done = await eventually(follow, (res) => res.body.state === 'done', 60_000);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'done', pass: 2, adopted: 6, refused: 0, failed: 1, startedAt: first.body.startedAt });

    const get = (path: string) => request(app).get(path).set('Authorization', supervisor);
    expect((await get('/api/policies/2026.1/adoptions/policy-rollout-2026.1-lanjie')).status).toBe(404);
    expect((await get('/api/policies/2026.1/adoptions/policy-rollout-2026.2-jingding')).status).toBe(404);
    expect((await get(`/api/policies/2026.1/adoptions/${(await registerCases(worker.cases, 'lanjie', 1))[0]}`)).status).toBe(404);
    expect((await get('/api/policies/2099.1/adoptions/policy-rollout-2099.1-zone')).status).toBe(404);
    const caseworker = `Bearer ${mintToken(testSecrets.tokenSecret, { sub: 'cw-api', role: 'caseworker', villages: ['jingding'] })}`;
    expect((await request(app).get(first.headers.location).set('Authorization', caseworker)).status).toBe(403);
  }, 120_000);
});
