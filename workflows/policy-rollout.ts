// Spreading a policy version over the open cases of the zone (or of one village): a durable job,
// page by page, instead of one HTTP request walking 190,000 cases. A worker that restarts, or an
// API that does, leaves it where it was; the supervisor follows its progress.
import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RolloutActivities } from '../activities/types';
import { rolloutProgressQuery, type RolloutInput, type RolloutProgress } from './rollout-definitions';

/** Events before the rollout continues as new: a page costs ~6, so some 300 pages a run. */
const DEFAULT_HISTORY_BUDGET = 2000;

const { adoptPolicyOnPage } = proxyActivities<RolloutActivities>({
  // A page is up to 200 updates, 16 at a time, each given 10 s: minutes at worst, heartbeat per case.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
});

export async function policyRollout(input: RolloutInput): Promise<RolloutProgress> {
  const { version, village, actor } = input;
  const progress: RolloutProgress = input.resume?.progress ?? {
    rolloutId: workflowInfo().workflowId, version, village, state: 'running', pass: 1,
    adopted: 0, refused: 0, failed: 0, startedAt: new Date().toISOString(),
  };
  let pageToken = input.resume?.pageToken;
  setHandler(rolloutProgressQuery, () => progress);

  for (;;) {
    const page = await adoptPolicyOnPage({ version, village, actor, pageToken });
    progress.adopted += page.adopted;
    progress.refused += page.refused;
    progress.failed += page.failed;
    pageToken = page.nextPageToken;
    if (!pageToken) {
      if (progress.pass === 2) break;
      // What is still not on the version is listed again from the top and counted anew.
      Object.assign(progress, { pass: 2, refused: 0, failed: 0 });
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (input.historyBudget ?? DEFAULT_HISTORY_BUDGET)) {
      await continueAsNew<typeof policyRollout>({ ...input, resume: { progress, pageToken } });
    }
  }
  progress.state = 'done';
  progress.finishedAt = new Date().toISOString();
  return progress;
}
