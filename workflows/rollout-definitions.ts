// The policy rollout's name, input, progress and query: what the API needs to start one and to
// follow it, without importing the workflow code.
import { defineQuery } from '@temporalio/workflow';
import type { Actor } from '../domain';

export const POLICY_ROLLOUT_WORKFLOW = 'policyRollout';

/** One rollout per version and scope at a time: two supervisors asking for the same one share it. */
export function rolloutIdFor(version: string, village?: string): string {
  return `policy-rollout-${version}-${village ?? 'zone'}`;
}

export interface RolloutCounts {
  /** Cases that took the version. */
  adopted: number;
  /** Cases that refused it (a case closing meanwhile): not retried. */
  refused: number;
  /** Cases that did not answer in time (their worker down or restarting). */
  failed: number;
}

export interface RolloutProgress extends RolloutCounts {
  rolloutId: string;
  version: string;
  village?: string;
  state: 'running' | 'done';
  /**
   * 1: the open cases not on the version, page by page. 2: the ones still not on it afterwards
   * (failed in pass 1, or continued as new behind its position), each tried once more; refused
   * and failed count pass 2's cases only, so they are the cases left as they were.
   */
  pass: 1 | 2;
  startedAt: string;
  finishedAt?: string;
}

export interface RolloutInput {
  version: string;
  village?: string;
  actor: Actor;
  /** History events before the rollout continues as new (default 2000; tests set it low). */
  historyBudget?: number;
  /** Set when a rollout continues as new: where it was and what it has done. */
  resume?: { progress: RolloutProgress; pageToken?: string };
}

export const rolloutProgressQuery = defineQuery<RolloutProgress>('progress');
