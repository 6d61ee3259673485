// One returnee's case, from registration to green pass (or closure): the procedure the zone ran
// by hand. Rules come from domain/; this file only sequences them, waits, and acts.
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo,
} from '@temporalio/workflow';
import {
  SYSTEM, adoptPolicy, caseClosed, caseView, changePeriod, closeCase, currentPlacement, dueCadreTask, isReleaseDue,
  markMissedSlots, newCase, nextWakeAt, reconsiderOnRegistration, record, recordCheckIn, recordReleaseAttempt, refuseIfClosed,
  refusePeriodChange, refuseMalformedPolicy, refuseOutOfScope, refuseRetriage, refuseSameVillage, refuseUnlessAwaitingSignOff,
  refuseUnlessInReview, refuseUnlessIsolated, releaseBlocked, releaseBlockers, retriageTemperature, signOffNeeded, slotView,
  nextDeadline, startIsolation, statusOf, triage, type Actor, type CaseState, type Placement, type Refusal, type Policy,
  CLOSE_REASON_ZH,
} from '../domain';
import type { Extension, Intake, Retriage, Transfer } from '../domain/schemas';
import { localDateOf } from '../domain/time';
import {
  adoptPolicyUpdate, caseViewQuery, changePeriodUpdate, checkInUpdate, closeUpdate, contactAttemptUpdate,
  doctorDecisionUpdate, noteUpdate, registerUpdate, retriageUpdate, signOffUpdate, timelineQuery, transferUpdate,
  visitUpdate, type CaseInput, type CaseOutcome,
} from './definitions';
import { CaseEffects } from './effects';
import { legacyRules } from './rule-revisions';

/** Continue-as-new well before Temporal's history limits; the whole state travels along. */
const DEFAULT_HISTORY_BUDGET = 4000;

export async function returneeCase(input: CaseInput): Promise<CaseOutcome> {
  // Asked first so that a run records its patch marker (and the change-version search attribute
  // sdk-core upserts with it) in its first workflow task, which writes visibility anyway, instead
  // of at its first check-in: one visibility write more per case otherwise (measured in the bench).
  legacyRules();
  const state = input.resume ?? newCase(input.caseId, input.intake, input.policy, Date.now(), input.actor);
  const effects = new CaseEffects(state);
  let placed = Boolean(input.resume);
  const changed = () => effects.publish();
  const idle = () => allHandlersFinished() && effects.inFlight === 0;

  setHandlers(state, effects, () => placed);

  if (!input.resume) {
    await place(state, effects, state.triage.placement, input.actor, state.intake.arrivalDate);
    placed = true;
  }
  changed();

  while (!state.closed) {
    const wakeAt = nextWakeAt(state);
    const woke = await waitUntil(wakeAt, () => Boolean(state.closed) || nextWakeAt(state) !== wakeAt);
    if (woke) await actOnDeadlines(state, effects);
    changed();
    if (timeToContinueAsNew(input.historyBudget ?? DEFAULT_HISTORY_BUDGET)) {
      // Not while a handler or a delivery is under way. Older cases waited for them with their
      // deadlines unattended (a webhook down for hours), and a sign-off waiting for the loop's
      // release waited for ever; now the wait ends at the next deadline or when one moves, and
      // the next turn of the loop tries again.
      if (legacyRules()) await condition(idle);
      else {
        const wakeAt = nextWakeAt(state);
        await waitUntil(wakeAt, () => idle() || Boolean(state.closed) || nextWakeAt(state) !== wakeAt);
      }
      if (idle() && !state.closed) return continueAsNew<typeof returneeCase>({ ...input, resume: state });
    }
  }
  await condition(idle);
  return { caseId: state.caseId, closedReason: state.closed.reason, closedAt: new Date(state.closed.at).toISOString() };
}

/**
 * Sleeps until `wakeAt` (a durable timer) unless `interrupted` becomes true first, in which case
 * the timer is cancelled: a case that checked in before its deadline costs nothing at the deadline.
 * Returns true when the timer fired.
 */
async function waitUntil(wakeAt: number | undefined, interrupted: () => boolean): Promise<boolean> {
  if (wakeAt === undefined) {
    await condition(interrupted);
    return false;
  }
  const met = await condition(interrupted, Math.max(1, wakeAt - Date.now()));
  return !met;
}

function timeToContinueAsNew(historyBudget: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > historyBudget;
}

/** Puts the returnee where triage says: a green pass, home isolation, or a facility. */
async function place(state: CaseState, effects: CaseEffects, placement: Placement, actor: Actor, homeStart: string): Promise<void> {
  switch (placement) {
    case 'green_pass':
      return effects.issuePass(actor);
    case 'home_isolation':
      return startIsolation(state, 'home', homeStart, Date.now(), actor);
    case 'central_isolation':
      return effects.centralise(state.triage.reason, actor);
  }
}

/** A deadline passed: mark misses and climb the ladder; at the end of the period try release. */
async function actOnDeadlines(state: CaseState, effects: CaseEffects): Promise<void> {
  const now = Date.now();
  const drafts = markMissedSlots(state, now);
  const cadre = dueCadreTask(state, now);
  if (cadre) drafts.push(cadre);
  effects.notify(drafts);
  if (isReleaseDue(state, now)) await attemptRelease(state, effects);
}

/** Release needs a clean last 48 hours, no open escalation or review, and a green code today. */
async function attemptRelease(state: CaseState, effects: CaseEffects): Promise<void> {
  const isolation = state.isolation;
  let blockers = releaseBlockers(state, Date.now());
  if (blockers.length === 0) {
    const fresh = await effects.recheckHealthCode();
    if (!legacyRules()) {
      // A decision arrived while we asked (a re-triage, a doctor, a closure): it stands.
      if (state.isolation !== isolation || state.closed) return;
      if (fresh.colour === 'red' && isolation?.kind === 'home') {
        state.healthCode = fresh.colour;
        return effects.centralise('解除隔离前复核健康码为红码', SYSTEM);
      }
    }
    state.healthCode = fresh.colour;
    blockers = releaseBlockers(state, Date.now(), fresh.colour);
  }
  if (!state.isolation || state.closed) return;
  const attemptAt = Date.now();
  const decision = recordReleaseAttempt(state, attemptAt, blockers);
  if (decision === 'release') await effects.issuePass(SYSTEM);
  else if (decision === 'blocked') effects.notify([releaseBlocked(state, attemptAt, blockers)]);
  else effects.notify([signOffNeeded(state, attemptAt)]);
}

/** Update validators throw to refuse: the refused update never enters the case's history. */
function refuse(refusal: Refusal): void {
  if (refusal) throw ApplicationFailure.create({ type: 'CaseStateConflict', message: refusal, nonRetryable: true });
}

/** Refuses an actor scoped to other villages as if the case did not exist: no data, no trace. */
function refuseUnlessInScope(state: CaseState, actor: Actor): void {
  if (refuseOutOfScope(state, actor)) throw ApplicationFailure.create({ type: 'CaseNotVisible', message: 'no such case', nonRetryable: true });
}

function setHandlers(state: CaseState, effects: CaseEffects, isPlaced: () => boolean): void {
  const view = () => caseView(state, Date.now());
  /** Every handler ends by publishing what changed to the supervisors' lists and answering the view. */
  const done = () => {
    effects.publish();
    return view();
  };

  /** A validator: first the caller's villages, then what the case's state allows. */
  const guard = <I>(check: (input: I) => Refusal) => (input: I, actor: Actor) => {
    refuseUnlessInScope(state, actor);
    refuse(check(input));
  };

  setHandler(caseViewQuery, view);
  setHandler(timelineQuery, () => state.timeline);

  setHandler(registerUpdate, async (actor, intake) => {
    state.registrations += 1;
    const created = state.registrations === 1;
    await condition(isPlaced);
    // Registrations recorded before the intake came along carry none, and replay as they were.
    const moveTo = !created && intake ? reconsiderOnRegistration(state, intake, actor, Date.now()) : undefined;
    if (moveTo) {
      await place(state, effects, moveTo, actor, intake!.arrivalDate);
      effects.publish();
    }
    return { created, case: view() };
  }, { validator: (actor: Actor, _intake: Intake | undefined) => refuseUnlessInScope(state, actor) });

  setHandler(checkInUpdate, (checkIn, actor) => {
    const outcome = recordCheckIn(state, checkIn, actor, Date.now(), legacyRules());
    effects.notify(outcome.notify);
    effects.publish();
    // The answer, not the whole view: every check-in (and each replay of one) builds it.
    const slot = state.slots.find((s) => s.id === outcome.reading.slotId);
    return {
      reading: outcome.reading,
      slot: slot && slotView(slot),
      escalationClosed: outcome.escalationClosed,
      status: statusOf(state),
      overdueSlots: state.consecutiveMisses,
      nextDeadline: nextDeadline(state),
    };
  }, { validator: guard(() => refuseUnlessIsolated(state)) });

  setHandler(visitUpdate, (visit, actor) => {
    const zh = { cooperative: '配合', uncooperative: '不配合', not_at_home: '不在家' }[visit.outcome];
    record(state, Date.now(), actor, 'visit', `巡查走访：${zh}${visit.note ? `（${visit.note}）` : ''}`, { outcome: visit.outcome });
    return done();
  }, { validator: guard(() => refuseIfClosed(state)) });

  setHandler(contactAttemptUpdate, (attempt, actor) => {
    record(state, Date.now(), actor, 'contact_attempt', `${attempt.reached ? '已联系上' : '未联系上'}（${attempt.channel}）${attempt.note ? `：${attempt.note}` : ''}`,
      { channel: attempt.channel, reached: attempt.reached });
    return done();
  }, { validator: guard(() => refuseIfClosed(state)) });

  setHandler(noteUpdate, (note, actor) => {
    record(state, Date.now(), actor, 'note', note.text);
    return done();
  }, { validator: guard(() => refuseIfClosed(state)) });

  setHandler(changePeriodUpdate, (extension, actor) => {
    changePeriod(state, extension.days, extension.reason, actor, Date.now());
    return done();
  }, { validator: guard((extension: Extension) => refusePeriodChange(state, extension.days)) });

  setHandler(transferUpdate, (transfer, actor) => {
    const from = state.village;
    state.village = transfer.village;
    state.address = transfer.address;
    record(state, Date.now(), actor, 'transferred', `转至 ${transfer.village}：${transfer.reason}`, { from, to: transfer.village });
    return done();
  }, { validator: guard((transfer: Transfer) => refuseSameVillage(state, transfer.village)) });

  setHandler(retriageUpdate, async (retriage, actor) => {
    const result = triage(retriage.healthCode, retriageTemperature(state, retriage), state.policy);
    state.healthCode = retriage.healthCode;
    state.triage = { ...result, at: Date.now() };
    record(state, Date.now(), actor, 'retriaged', `重新研判：${result.reason}（${retriage.reason}）`, { placement: result.placement, healthCode: retriage.healthCode });
    if (currentPlacement(state) !== result.placement) await place(state, effects, result.placement, actor, localDateOf(Date.now()));
    return done();
  }, { validator: guard((retriage: Retriage) => refuseRetriage(state, retriage)) });

  setHandler(closeUpdate, (close, actor) => {
    closeCase(state, close.reason, actor, Date.now(), close.note);
    effects.notify([caseClosed(state, CLOSE_REASON_ZH[close.reason])]);
    return done();
  }, { validator: guard(() => refuseIfClosed(state)) });

  setHandler(doctorDecisionUpdate, async (decision, actor) => {
    const zh = { continue_home_isolation: '继续居家隔离', centralised_isolation: '转集中医学隔离', hospital: '送医' }[decision.decision];
    record(state, Date.now(), actor, 'doctor_decision', `医生复核：${zh}${decision.note ? `（${decision.note}）` : ''}`, { decision: decision.decision });
    state.review = undefined;
    if (decision.decision === 'centralised_isolation') await effects.centralise('医生复核决定转集中医学隔离', actor);
    if (decision.decision === 'hospital') {
      closeCase(state, 'hospitalised', actor, Date.now(), decision.note);
      effects.notify([caseClosed(state, CLOSE_REASON_ZH.hospitalised)]);
    }
    return done();
  }, { validator: guard(() => refuseUnlessInReview(state)) });

  setHandler(signOffUpdate, async (signOff, actor) => {
    const release = state.release!;
    release.signedOff = { by: actor, at: Date.now() };
    release.nextAttemptAt = Date.now(); // wakes the main loop, which releases now
    record(state, Date.now(), actor, 'signed_off', `督导签字同意解除隔离${signOff.note ? `（${signOff.note}）` : ''}`);
    await condition(() => statusOf(state) !== 'awaiting_sign_off');
    return done();
  }, { validator: guard(() => refuseUnlessAwaitingSignOff(state)) });

  setHandler(adoptPolicyUpdate, (policy, actor) => {
    adoptPolicy(state, policy, actor, Date.now(), legacyRules());
    return done();
  }, {
    validator: guard((policy: Policy) => refuseIfClosed(state) ?? refuseMalformedPolicy(policy)
      ?? (policy.version === state.policy.version ? `case ${state.caseId} already follows policy ${policy.version}` : undefined)),
  });
}
