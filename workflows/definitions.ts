// The case workflow's messages: typed updates (validated and answered), queries (read-only
// views). The API imports this file — definitions only, never the workflow code itself.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, CaseState, Policy, Reading, TimelineEntry } from '../domain';
import type { CaseView } from '../domain/view';
import type {
  CheckIn, Close, ContactAttempt, DoctorDecision, Extension, Intake, Note, Retriage, SignOff, Transfer, Visit,
} from '../domain/schemas';

export const CASE_WORKFLOW = 'returneeCase';

export interface CaseInput {
  caseId: string;
  intake: Intake;
  policy: Policy;
  actor: Actor;
  /** Set when a run continues an existing case after continue-as-new. */
  resume?: CaseState;
  /** History events before the run continues as new (default 4000; tests set it low). */
  historyBudget?: number;
}

export interface CaseOutcome {
  caseId: string;
  closedReason: string;
  closedAt: string;
}

export interface RegistrationAnswer { created: boolean; case: CaseView }
/** Small on purpose: check-ins are most of a case's history, and every answer is stored in it. */
export interface CheckInAnswer {
  reading: Reading;
  slot?: CaseView['slots'][number];
  escalationClosed: boolean;
  status: CaseView['status'];
  overdueSlots: number;
  nextDeadline?: string;
}

/**
 * Answers whether this registration created the case (false: the person's case already existed).
 * The intake lets a registration that reaches an open case re-triage it when stricter; histories
 * from before it was sent carry the actor alone.
 */
export const registerUpdate = defineUpdate<RegistrationAnswer, [Actor, Intake | undefined]>('register');
export const checkInUpdate = defineUpdate<CheckInAnswer, [CheckIn, Actor]>('checkIn');
export const visitUpdate = defineUpdate<CaseView, [Visit, Actor]>('recordVisit');
export const contactAttemptUpdate = defineUpdate<CaseView, [ContactAttempt, Actor]>('recordContactAttempt');
export const noteUpdate = defineUpdate<CaseView, [Note, Actor]>('addNote');
export const changePeriodUpdate = defineUpdate<CaseView, [Extension, Actor]>('changePeriod');
export const transferUpdate = defineUpdate<CaseView, [Transfer, Actor]>('transferVillage');
export const retriageUpdate = defineUpdate<CaseView, [Retriage, Actor]>('retriage');
export const closeUpdate = defineUpdate<CaseView, [Close, Actor]>('close');
export const doctorDecisionUpdate = defineUpdate<CaseView, [DoctorDecision, Actor]>('doctorDecision');
export const signOffUpdate = defineUpdate<CaseView, [SignOff, Actor]>('signOffRelease');
export const adoptPolicyUpdate = defineUpdate<CaseView, [Policy, Actor]>('adoptPolicy');

export const caseViewQuery = defineQuery<CaseView>('caseView');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
