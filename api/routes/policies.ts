// /api/policies: the versions of the procedure's numbers, and telling open cases to adopt one
// (e.g. home isolation 14 → 7 days mid-epidemic). New cases follow SANFAN_POLICY_VERSION.
// Open cases adopt a version through a policy rollout, a workflow of its own: a village's is
// done while the request waits; the zone's goes on after it, and its progress can be read.
import { Router, type Request } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { isKnownPolicyVersion, POLICIES } from '../../domain/policy';
import { VillageSchema } from '../../domain/schemas';
import { VILLAGES } from '../../domain/villages';
import type { policyRollout } from '../../workflows/policy-rollout';
import {
  POLICY_ROLLOUT_WORKFLOW, rolloutIdFor, rolloutProgressQuery, type RolloutInput, type RolloutProgress,
} from '../../workflows/rollout-definitions';
import { allow } from '../auth';
import type { CaseClient } from '../case-client';
import { notFound } from '../problems';

const AdoptionSchema = z.object({ village: VillageSchema.optional() }).strict();

export interface PoliciesOptions {
  /** How long a request to adopt waits for its rollout to finish before answering 202 (default 10 s). */
  waitMs?: number;
}

function knownVersion(req: Request): string {
  const version = String(req.params.version);
  if (!isKnownPolicyVersion(version)) throw notFound('policy version');
  return version;
}

export function policiesRouter(cases: CaseClient, currentVersion: string, options: PoliciesOptions = {}): Router {
  const waitMs = options.waitMs ?? 10_000;
  const client = cases.temporal;
  const router = Router();
  const location = (req: Request, progress: RolloutProgress) => `${req.baseUrl}/${progress.version}/adoptions/${progress.rolloutId}`;

  router.get('/', allow('caseworker', 'doctor', 'supervisor'), (_req, res) => {
    res.json({ current: currentVersion, versions: Object.values(POLICIES) });
  });

  router.post('/:version/adoptions', allow('supervisor'), async (req, res) => {
    const version = knownVersion(req);
    const { village } = AdoptionSchema.parse(req.body ?? {});
    const input: RolloutInput = { version, village, actor: { role: req.principal!.role, id: req.principal!.sub } };
    // The same version and scope already rolling out: this request joins it. A finished one is
    // started again, which retries the cases it left (adoption is idempotent).
    const handle = await client.workflow.start<typeof policyRollout>(POLICY_ROLLOUT_WORKFLOW, {
      workflowId: rolloutIdFor(version, village), taskQueue: cases.taskQueue, args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    const finished = await client.connection.withDeadline(Date.now() + waitMs, () => handle.result())
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) throw error;
        return undefined; // not done within the wait: answered with its progress so far
      });
    const progress = finished ?? await handle.query(rolloutProgressQuery);
    res.location(location(req, progress)).status(progress.state === 'done' ? 200 : 202).json(progress);
  });

  router.get('/:version/adoptions/:rolloutId', allow('supervisor'), async (req, res) => {
    const version = knownVersion(req);
    const rolloutId = String(req.params.rolloutId);
    // Only this version's rollout IDs name a rollout: anything else (a case ID among them) is not one.
    const scopes = [undefined, ...VILLAGES.map((v) => v.id)];
    if (!scopes.some((village) => rolloutIdFor(version, village) === rolloutId)) throw notFound('policy rollout');
    // Answered by the workflow, running or finished.
    const progress = await client.workflow.getHandle<typeof policyRollout>(rolloutId).query(rolloutProgressQuery).catch((error: unknown) => {
      throw error instanceof WorkflowNotFoundError ? notFound('policy rollout') : error;
    });
    res.json(progress);
  });

  return router;
}
