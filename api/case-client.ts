// The API's (and scripts') way into case workflows: register with update-with-start, read with
// queries, act with updates. Temporal is the only store; nothing here keeps state.
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor, Policy } from '../domain';
import type { Intake } from '../domain/schemas';
import { caseIdFor } from '../infra/case-id';
import { CASE_WORKFLOW, registerUpdate, type CaseInput, type RegistrationAnswer } from '../workflows/definitions';
import * as keys from '../workflows/search-attributes';
import type { returneeCase } from '../workflows/returnee-case';

/** How long a registration waits for a just-closed case of the same person to finish. */
const CLOSING_RUN_WAIT_MS = 10_000;

/**
 * The person already has an open case in a village the caller does not cover. Nothing of it is
 * told (not even its ID): a caller who knows an ID number must not learn a case through it.
 */
export class RegisteredElsewhereError extends Error {
  constructor() {
    super('this ID number already has an open case in a village outside yours; a supervisor can transfer it');
    this.name = 'RegisteredElsewhereError';
  }
}

export interface CaseClientOptions {
  client: Client;
  taskQueue: string;
  caseIdKey: Buffer;
  /** History events a case run may grow to before it continues as new (workflow default: 4000). */
  historyBudget?: number;
}

export class CaseClient {
  constructor(private readonly options: CaseClientOptions) {}

  get temporal(): Client {
    return this.options.client;
  }

  /** The task queue of the case workers (and of the policy rollouts they run). */
  get taskQueue(): string {
    return this.options.taskQueue;
  }

  caseIdFor(idCardNumber: string): string {
    return caseIdFor(idCardNumber, this.options.caseIdKey);
  }

  /**
   * Registers a returnee: starts the person's case, or — when one is already running — answers
   * with it. A closed earlier case does not block a new one (the person left and came back).
   */
  async register(intake: Intake, policy: Policy, actor: Actor): Promise<RegistrationAnswer> {
    const caseId = this.caseIdFor(intake.person.idCardNumber);
    const input: CaseInput = { caseId, intake, policy, actor, historyBudget: this.options.historyBudget };
    const start = new WithStartWorkflowOperation<typeof returneeCase>(CASE_WORKFLOW, {
      workflowId: caseId,
      taskQueue: this.options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: [
        { key: keys.CaseVillage, value: intake.village },
        { key: keys.CaseHealthCode, value: intake.healthCode },
        { key: keys.CasePolicyVersion, value: policy.version },
      ],
    });
    const answer = await this.options.client.workflow.executeUpdateWithStart(registerUpdate, { args: [actor, intake], startWorkflowOperation: start })
      .catch((error: unknown) => {
        const refused = error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'CaseNotVisible';
        throw refused ? new RegisteredElsewhereError() : error;
      });
    if (answer.created || answer.case.status !== 'closed') return answer;
    // The person's case was just closed and its run is still finishing (sending its last
    // notifications): once it has, this registration starts a new case, as it would a moment
    // later. Should that take long, the closed case is the answer and a retry will start anew.
    const finished = (await start.workflowHandle()).result().then(() => true, () => true);
    const waited = new Promise<boolean>((resolve) => setTimeout(resolve, CLOSING_RUN_WAIT_MS, false).unref());
    return (await Promise.race([finished, waited])) ? this.register(intake, policy, actor) : answer;
  }

  /** The handle of a case's latest run (or of an earlier run, by run ID). */
  handle(caseId: string, runId?: string): WorkflowHandle<typeof returneeCase> {
    return this.options.client.workflow.getHandle<typeof returneeCase>(caseId, runId);
  }
}
