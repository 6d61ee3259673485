// A page of the policy rollout: the open cases (of the zone or a village) not yet on a version,
// read from visibility with Temporal's page token, each told to adopt it with the case's own
// update. Adoption is idempotent (a case already on the version refuses it and is skipped), so a
// page tried again after a worker restart repeats nothing; its adoptions so far travel in heartbeats.
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { notOnPolicyQuery } from '../api/worklists';
import { policyByVersion } from '../domain/policy';
import { listPage } from '../infra/visibility-page';
import { adoptPolicyUpdate, caseViewQuery } from '../workflows/definitions';
import type { RolloutCounts } from '../workflows/rollout-definitions';
import type { RolloutActivities, RolloutPageRequest, RolloutPageResult } from './types';

export interface PolicyRolloutOptions {
  /** The case engine's client: encrypting codec, updates sent to each case's current run. */
  client: Client;
  /** Cases per visibility page (default 200). */
  pageSize?: number;
  /** Updates in flight at once (default 16). */
  concurrency?: number;
  /** A case whose worker is down cannot take the update: counted as failed rather than waited for (default 10 s). */
  perCaseDeadlineMs?: number;
}

type Outcome = keyof RolloutCounts | 'unchanged';

export function createPolicyRollout(options: PolicyRolloutOptions): RolloutActivities {
  const { client, pageSize = 200, concurrency = 16, perCaseDeadlineMs = 10_000 } = options;

  /** One case told to adopt; a refusal because it already follows the version (visibility lagging behind) changes nothing. */
  async function adopt(caseId: string, request: RolloutPageRequest): Promise<Outcome> {
    const handle = client.workflow.getHandle(caseId);
    const within = <T>(fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + perCaseDeadlineMs, fn);
    try {
      await within(() => handle.executeUpdate(adoptPolicyUpdate, { args: [policyByVersion(request.version), request.actor] }));
      return 'adopted';
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure)) return 'failed';
      const view = await within(() => handle.query(caseViewQuery)).catch(() => undefined);
      return view?.policyVersion === request.version ? 'unchanged' : 'refused';
    }
  }

  return {
    async adoptPolicyOnPage(request: RolloutPageRequest): Promise<RolloutPageResult> {
      const context = Context.current();
      // A retried page lists again only what is still not on the version: its adoptions so far are kept, the rest counted anew.
      const before = context.info.heartbeatDetails as RolloutCounts | undefined;
      const counts: RolloutCounts = { adopted: before?.adopted ?? 0, refused: 0, failed: 0 };
      const page = await listPage(client, notOnPolicyQuery(request.version, request.village), pageSize,
        request.pageToken ? Buffer.from(request.pageToken, 'base64') : undefined);
      const caseIds = page.executions.map((execution) => execution.execution!.workflowId!);
      let next = 0;
      const lane = async () => {
        while (next < caseIds.length) {
          const outcome = await adopt(caseIds[next++], request);
          if (outcome !== 'unchanged') counts[outcome]++;
          context.heartbeat(counts);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, caseIds.length) }, lane));
      return { ...counts, nextPageToken: page.next?.toString('base64') };
    },
  };
}
