// One page of a visibility list, read with Temporal's own page token (not an offset): the
// supervisors' lists page with it, and so does the policy rollout.
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface VisibilityPage {
  executions: temporal.api.workflow.v1.IWorkflowExecutionInfo[];
  /** Where the next page starts; none on the last page (the server sends an empty token there). */
  next?: Buffer;
}

export async function listPage(client: Client, query: string, pageSize: number, token?: Buffer): Promise<VisibilityPage> {
  const response = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace, query, pageSize, nextPageToken: token,
  });
  const next = response.nextPageToken?.length ? Buffer.from(response.nextPageToken) : undefined;
  return { executions: response.executions, next };
}
