// /api/policies: the versions of the procedure's numbers, and telling open cases to adopt one
// (e.g. home isolation 14 → 7 days mid-epidemic). New cases follow SANFAN_POLICY_VERSION.
import { Router } from 'express';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { isKnownPolicyVersion, POLICIES, policyByVersion } from '../../domain/policy';
import { VillageSchema } from '../../domain/schemas';
import { adoptPolicyUpdate } from '../../workflows/definitions';
import { allow } from '../auth';
import { notFound } from '../problems';
import { notOnPolicyQuery } from '../worklists';

const AdoptionSchema = z.object({ village: VillageSchema.optional() }).strict();
/** Updates in flight at once while a policy spreads over the zone's open cases. */
const CONCURRENCY = 16;
/** A case whose worker is down cannot accept the update: count it as failed rather than wait. */
const PER_CASE_DEADLINE_MS = 10_000;

export function policiesRouter(client: Client, currentVersion: string): Router {
  const router = Router();

  router.get('/', allow('caseworker', 'doctor', 'supervisor'), (_req, res) => {
    res.json({ current: currentVersion, versions: Object.values(POLICIES) });
  });

  router.post('/:version/adoptions', allow('supervisor'), async (req, res) => {
    const version = String(req.params.version);
    if (!isKnownPolicyVersion(version)) throw notFound('policy version');
    const { village } = AdoptionSchema.parse(req.body ?? {});
    const policy = policyByVersion(version);
    const actor = { role: req.principal!.role, id: req.principal!.sub };
    const query = notOnPolicyQuery(version, village);

    const totals = { adopted: 0, refused: 0, failed: 0 };
    const inFlight = new Set<Promise<void>>();
    for await (const info of client.workflow.list({ query })) {
      const handle = client.workflow.getHandle(info.workflowId);
      const update = client.connection.withDeadline(Date.now() + PER_CASE_DEADLINE_MS,
        () => handle.executeUpdate(adoptPolicyUpdate, { args: [policy, actor] }))
        .then(() => { totals.adopted++; }, (error) => { totals[error instanceof WorkflowUpdateFailedError ? 'refused' : 'failed']++; })
        .finally(() => inFlight.delete(update));
      inFlight.add(update);
      if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    // Adoption is idempotent (a case already on the version is not listed): re-run to retry failures.
    res.json({ version, village, ...totals });
  });

  return router;
}
