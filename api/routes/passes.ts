// POST /api/passes/verify: what a checkpoint asks of a green pass. The signature and dates are
// checked offline with the public key; revocation is asked of the pass holder's case.
import { Router } from 'express';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { verifyPassToken } from '../../activities/green-pass';
import { caseViewQuery } from '../../workflows/definitions';
import { allow } from '../auth';
import type { CaseClient } from '../case-client';

export const PassVerifySchema = z.object({ token: z.string().min(1).max(4096) }).strict();

export function passesRouter(cases: CaseClient, passPublicKeyPem: string): Router {
  const router = Router();
  router.post('/verify', allow('checkpoint', 'caseworker', 'supervisor'), async (req, res) => {
    const { token } = PassVerifySchema.parse(req.body);
    const checked = verifyPassToken(token, passPublicKeyPem, new Date());
    if (checked.status !== 'valid') {
      res.json({ status: checked.status, colour: checked.colour, validUntil: checked.validUntil });
      return;
    }
    // A validly signed pass is still void once its case re-triaged, closed, or issued a newer pass.
    const current = await cases.handle(checked.caseId!).query(caseViewQuery)
      .then((view) => view.pass, (error) => { if (error instanceof WorkflowNotFoundError) return undefined; throw error; });
    const revoked = !current || current.passId !== checked.passId || Boolean(current.revoked);
    res.json({
      status: revoked ? 'revoked' : 'valid',
      caseId: checked.caseId,
      colour: checked.colour,
      validUntil: checked.validUntil,
    });
  });
  return router;
}
