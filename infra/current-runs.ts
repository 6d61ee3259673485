// Updates addressed to a case's run, not just its workflow ID. Given only the workflow ID, the
// server first looks up which run is current: one more read of its database (on the embedded
// server, one more turn of its single SQLite connection) for every check-in. This client
// interceptor remembers the run each registration and update reached, and addresses the next
// update of that case to it.
//
// A remembered run is only ever a hint. One case has at most one open run, and a closed run
// (continued as new, closed and registered again) refuses updates as "not found", so an update
// cannot land in a stale run: it is sent again by workflow ID alone, and the answer names the
// current run. Queries are not hinted, because a closed run still answers them.
import {
  WorkflowNotFoundError, type Next, type WorkflowClientInterceptor, type WorkflowStartUpdateInput, type WorkflowStartUpdateOutput,
  type WorkflowStartUpdateWithStartInput, type WorkflowStartUpdateWithStartOutput,
} from '@temporalio/client';
import { rememberBounded } from './bounded-map';

/** The whole zone (190,000 returnees) and more: ~130 bytes per case (measured for 200,000 flat strings), ~26 MB. */
export const CURRENT_RUNS_REMEMBERED = 200_000;

export class CurrentRuns implements WorkflowClientInterceptor {
  private readonly runs = new Map<string, string>();

  constructor(private readonly limit = CURRENT_RUNS_REMEMBERED) {}

  /** The run this client last saw open for `workflowId`, if any. */
  runOf(workflowId: string): string | undefined {
    return this.runs.get(workflowId);
  }

  async startUpdate(input: WorkflowStartUpdateInput, next: Next<WorkflowClientInterceptor, 'startUpdate'>): Promise<WorkflowStartUpdateOutput> {
    const { workflowId, runId } = input.workflowExecution;
    const known = runId ? undefined : this.runs.get(workflowId);
    if (known === undefined) return this.remember(workflowId, await next(input));
    try {
      return this.remember(workflowId, await next({ ...input, workflowExecution: { workflowId, runId: known } }));
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // That run has closed since: the server finds the current one (or says there is none).
      this.runs.delete(workflowId);
      return this.remember(workflowId, await next(input));
    }
  }

  async startUpdateWithStart(
    input: WorkflowStartUpdateWithStartInput,
    next: Next<WorkflowClientInterceptor, 'startUpdateWithStart'>,
  ): Promise<WorkflowStartUpdateWithStartOutput> {
    const output = await next(input);
    this.note(output.workflowExecution.workflowId, output.workflowExecution.runId);
    return output;
  }

  /** The update reached `output.workflowRunId` (its validator ran there, or it was accepted), so that run was open. */
  private remember(workflowId: string, output: WorkflowStartUpdateOutput): WorkflowStartUpdateOutput {
    this.note(workflowId, output.workflowRunId);
    return output;
  }

  private note(workflowId: string, runId: string | undefined): void {
    if (runId) rememberBounded(this.runs, workflowId, runId, this.limit);
  }
}
