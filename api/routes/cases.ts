// /api/cases: register, read, and act on returnee cases.
import { WorkflowNotFoundError, type UpdateDefinition, type WorkflowHandle } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { Actor, Policy } from '../../domain';
import { isKnownPolicyVersion, policyByVersion, POLICIES } from '../../domain/policy';
import { AdoptPolicySchema, IntakeSchema } from '../../domain/schemas';
import { CASE_ID_PATTERN } from '../../infra/case-id';
import { adoptPolicyUpdate, caseViewQuery, timelineQuery } from '../../workflows/definitions';
import { actorOf, allow, seesVillage, type Principal } from '../auth';
import { CASE_ACTIONS } from '../case-actions';
import { idempotentUpdateId } from '../idempotency';
import { RegisteredElsewhereError, type CaseClient } from '../case-client';
import { HttpProblem, notFound } from '../problems';
import { caseRunsQuery } from '../worklists';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,100}$/;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The handle of the case named in the path (404 for what cannot be a case or run ID). */
function caseHandle(cases: CaseClient, req: Request) {
  const caseId = String(req.params.caseId);
  if (!CASE_ID_PATTERN.test(caseId)) throw notFound();
  const run = typeof req.query.run === 'string' ? req.query.run : undefined;
  if (run !== undefined && !RUN_ID.test(run)) throw notFound();
  return cases.handle(caseId, run);
}

/** The case view, or 404 when it does not exist or lies outside the caller's villages. */
async function visibleCase(cases: CaseClient, req: Request) {
  const handle = caseHandle(cases, req);
  const view = await handle.query(caseViewQuery);
  if (!seesVillage(req.principal!, view.village)) throw notFound();
  return { handle, view };
}

/** The update ID for the request's Idempotency-Key, if it has one (see ../idempotency.ts). */
function updateIdOf(req: Request, updateName: string, body: unknown): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'Bad Request', 'Idempotency-Key must be 1–100 characters of A–Z a–z 0–9 _ . : -',
      [{ path: 'header.Idempotency-Key', message: 'invalid' }]);
  }
  return idempotentUpdateId(updateName, req.principal!.sub, key, body);
}

/**
 * Sends an update to the case named in the path. An update to a run that has completed fails on
 * the server with NOT_FOUND ("workflow execution already completed"), which the SDK throws as the
 * same WorkflowNotFoundError as for a case that never existed. A completed run still answers
 * queries, so that one is told apart: a closed case its caller may see is a 409, as the case's own
 * validator would say while the run was open; an unknown case, or another village's, stays a 404.
 */
async function sendUpdate<Ret, Arg>(
  cases: CaseClient, req: Request, update: UpdateDefinition<Ret, [Arg, Actor]>, args: [Arg, Actor], updateId?: string,
): Promise<Ret> {
  const handle = caseHandle(cases, req);
  try {
    return await handle.executeUpdate(update, { args, updateId });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    throw (await closedCaseConflict(handle, req.principal!)) ?? error;
  }
}

async function closedCaseConflict(handle: WorkflowHandle, principal: Principal): Promise<HttpProblem | undefined> {
  const view = await handle.query(caseViewQuery).catch(() => undefined);
  if (!view || !seesVillage(principal, view.village)) return undefined;
  return new HttpProblem(409, 'Conflict',
    view.closed ? `case ${view.caseId} is closed (${view.closed.reason})` : `case ${view.caseId} is no longer open`);
}

export function casesRouter(cases: CaseClient, policy: Policy): Router {
  const router = Router();

  router.post('/', allow('caseworker', 'supervisor'), async (req, res) => {
    const intake = IntakeSchema.parse(req.body);
    if (!seesVillage(req.principal!, intake.village)) {
      throw new HttpProblem(403, 'Forbidden', `you may register returnees only in ${req.principal!.villages.join(', ')}`,
        [{ path: 'village', message: 'outside your villages' }]);
    }
    const answer = await cases.register(intake, policy, actorOf(req.principal!)).catch((error: unknown) => {
      if (!(error instanceof RegisteredElsewhereError)) throw error;
      throw new HttpProblem(409, 'Conflict', error.message, [{ path: 'person.idCardNumber', message: 'registered in another village' }]);
    });
    res.status(answer.created ? 201 : 200).location(`/api/cases/${answer.case.caseId}`)
      .json({ created: answer.created, case: answer.case });
  });

  router.get('/:caseId', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    res.json((await visibleCase(cases, req)).view);
  });

  /** Every case this person has had under this ID: closed earlier ones stay readable with ?run=. */
  router.get('/:caseId/runs', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const { view } = await visibleCase(cases, req);
    const runs = [];
    for await (const info of cases.temporal.workflow.list({ query: caseRunsQuery(view.caseId) })) {
      runs.push({ runId: info.runId, status: info.status.name, startedAt: info.startTime.toISOString(), closedAt: info.closeTime?.toISOString(), href: `/api/cases/${view.caseId}?run=${info.runId}` });
    }
    res.json({ caseId: view.caseId, runs });
  });

  router.get('/:caseId/timeline', allow('caseworker', 'doctor', 'supervisor'), async (req, res) => {
    const { handle } = await visibleCase(cases, req);
    res.json({ entries: await handle.query(timelineQuery) });
  });

  for (const action of CASE_ACTIONS) {
    router.post(`/:caseId/${action.path}`, allow(...action.roles), async (req, res) => {
      // Validate everything before touching the case: a refused request changes nothing. The
      // village scope is checked by the update's validator, so an action costs one round trip.
      const body = action.schema.parse(req.body);
      const updateId = updateIdOf(req, action.update.name, body);
      const answer = await sendUpdate(cases, req, action.update, [body, actorOf(req.principal!)], updateId);
      res.status(action.path === 'check-ins' ? 201 : 200).json(answer);
    });
  }

  router.post('/:caseId/policy', allow('supervisor'), async (req, res) => {
    const { version } = AdoptPolicySchema.parse(req.body);
    if (!isKnownPolicyVersion(version)) {
      throw new HttpProblem(400, 'Bad Request', 'unknown policy version',
        [{ path: 'version', message: `must be one of ${Object.keys(POLICIES).join(', ')}` }]);
    }
    res.json(await sendUpdate(cases, req, adoptPolicyUpdate, [policyByVersion(version), actorOf(req.principal!)]));
  });

  return router;
}
