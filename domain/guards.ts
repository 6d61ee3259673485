// Which actions the case's current state allows. Each guard returns why not, or undefined.
// Update validators call these, so a refused action is never written to the case's history.
import { statusOf, type Actor, type CaseState } from './case';
import type { Policy } from './policy';
import type { Retriage } from './schemas';
import { triage } from './triage';

export type Refusal = string | undefined;

/** A caseworker acts only on their villages' cases. */
export function refuseOutOfScope(state: CaseState, actor: Actor): Refusal {
  return actor.villages && !actor.villages.includes(state.village) ? 'outside the caller’s villages' : undefined;
}

export function refuseIfClosed(state: CaseState): Refusal {
  return state.closed ? `case ${state.caseId} is closed (${state.closed.reason})` : undefined;
}

export function refuseUnlessIsolated(state: CaseState): Refusal {
  return refuseIfClosed(state) ?? (state.isolation ? undefined : `case ${state.caseId} is not in isolation (status ${statusOf(state)})`);
}

export function refuseUnlessInReview(state: CaseState): Refusal {
  return refuseIfClosed(state) ?? (state.review ? undefined : `case ${state.caseId} has no open medical review`);
}

export function refuseUnlessAwaitingSignOff(state: CaseState): Refusal {
  return refuseIfClosed(state) ?? (state.release?.awaitingSignOff ? undefined : `case ${state.caseId} is not awaiting a release sign-off`);
}

export function refusePeriodChange(state: CaseState, days: number): Refusal {
  const refusal = refuseUnlessIsolated(state);
  if (refusal) return refusal;
  if (state.isolation!.days + days < 1) return `the period cannot be shortened below one day (now ${state.isolation!.days} days)`;
  return undefined;
}

/** The temperature a re-triage goes by: the one given, else the latest reading, else the intake's. */
export function retriageTemperature(state: CaseState, retriage: Retriage): number {
  return retriage.temperatureC ?? state.readings[state.readings.length - 1]?.temperatureC ?? state.intake.temperatureC;
}

/** A re-triage may not hand out a green pass past an open medical review: the doctor decides first. */
export function refuseRetriage(state: CaseState, retriage: Retriage): Refusal {
  const refusal = refuseIfClosed(state);
  if (refusal || !state.review) return refusal;
  const placement = triage(retriage.healthCode, retriageTemperature(state, retriage), state.policy).placement;
  return placement === 'green_pass' ? `case ${state.caseId} has an open medical review: a doctor decides before any green pass` : undefined;
}

export function refuseSameVillage(state: CaseState, village: string): Refusal {
  return refuseIfClosed(state) ?? (state.village === village ? `case ${state.caseId} is already in village ${village}` : undefined);
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const positiveInt = (n: unknown) => Number.isInteger(n) && (n as number) > 0;

/** A policy sent to a running case must be whole: a malformed one would break the case later. */
export function refuseMalformedPolicy(policy: Policy): Refusal {
  const slotsOk = Array.isArray(policy?.slots) && policy.slots.length > 0
    && policy.slots.every((s) => (s?.period === 'morning' || s?.period === 'evening') && HHMM.test(s.opens) && HHMM.test(s.due) && s.opens < s.due);
  const numbersOk = [policy?.homeIsolationDays, policy?.centralisedIsolationDays, policy?.releaseRecheckHours, policy?.passValidityDays,
    policy?.doorVisitAtMisses, policy?.transferAtMisses].every(positiveInt)
    && typeof policy?.feverThresholdC === 'number' && typeof policy?.cadreTaskAfterMinutes === 'number'
    && typeof policy?.releaseLookbackHours === 'number' && typeof policy?.requireSupervisorSignOff === 'boolean';
  return typeof policy?.version === 'string' && slotsOk && numbersOk ? undefined : 'the policy is malformed';
}
