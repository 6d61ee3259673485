// The case's side effects, seen from inside the workflow: activity calls with their timeouts
// and retries, and the search-attribute upserts that feed supervisors' lists.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { patched, proxyActivities, proxyLocalActivities, upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import type { CaseActivities, Notification } from '../activities/types';
import {
  SYSTEM, caseIndex, centralisedIsolation, grantPass, greenPassIssued, record, startIsolation, type Actor,
  type CaseIndex, type CaseState, type NotificationDraft,
} from '../domain';
import { DAY_MS, iso, localDateOf } from '../domain/time';
import { legacyRules } from './rule-revisions';
import * as keys from './search-attributes';

/**
 * A notification's first attempt runs in the worker as a local activity: recorded as one marker in
 * the workflow task that decided it, instead of an activity's three events and a second workflow
 * task: half the workflow tasks when ten thousand deadlines pass in the same minute.
 * A short timeout and no local retries: a slow or failing webhook must not hold the workflow task
 * (check-ins wait behind it), so the delivery moves to a regular activity with the long retries.
 */
const { notify: notifyNow } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '3 seconds',
  retry: { maximumAttempts: 1 },
});
const { notify: notifyDurably } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 30 },
});
const { recheckHealthCode, assignFacility, signGreenPass } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Cases started before notifications went local first keep replaying the activity-only path. */
const LOCAL_FIRST_NOTIFY = 'notify-local-first';

/**
 * The next deadline used to be a search attribute. Every on-time check-in moved it, so every
 * check-in cost a visibility write (a third more check-ins per second without it, measured) for a
 * column no list filtered on. The case's own view still shows it; lists no longer do.
 * Histories recorded before this change replay the upserts they made.
 */
const DEADLINE_OUT_OF_VISIBILITY = 'next-deadline-out-of-visibility';

function deliver(notification: Notification) {
  if (!patched(LOCAL_FIRST_NOTIFY)) return notifyDurably(notification);
  return notifyNow(notification).catch(() => notifyDurably(notification));
}

export class CaseEffects {
  /** Notifications still being delivered; the run must not end or continue-as-new before them. */
  inFlight = 0;
  private published: Partial<CaseIndex> = {};

  constructor(private readonly state: CaseState) {}

  /**
   * Sends notifications without holding up the case: a webhook that is down for a while must not
   * delay the next deadline. A delivery that finally fails is written on the timeline.
   */
  notify(drafts: NotificationDraft[]): void {
    for (const draft of drafts) {
      this.inFlight++;
      deliver({ ...draft, caseId: this.state.caseId, village: this.state.village, at: iso(Date.now()) })
        .catch(() => record(this.state, Date.now(), SYSTEM, 'note', `通知发送失败：${draft.kind}`, { idempotencyKey: draft.idempotencyKey }))
        .finally(() => this.inFlight--);
    }
  }

  async recheckHealthCode() {
    return recheckHealthCode({ caseId: this.state.caseId, idCardNumber: this.state.intake.person.idCardNumber });
  }

  /** Starts a centralised isolation from today and assigns a facility to it. */
  async centralise(reason: string, actor: Actor): Promise<void> {
    const state = this.state;
    startIsolation(state, 'central', localDateOf(Date.now()), Date.now(), actor);
    const isolation = state.isolation!;
    const facility = await assignFacility({ caseId: state.caseId, village: state.village, idempotencyKey: `${state.caseId}:${isolation.startDate}` });
    if (state.isolation === isolation) isolation.facility = facility;
    record(state, Date.now(), SYSTEM, 'note', `分配集中隔离点：${facility.facilityName}`, { facilityId: facility.facilityId });
    this.notify([centralisedIsolation(state, isolation.startDate, facility.facilityName, reason, isolation.days)]);
  }

  async issuePass(actor: Actor): Promise<void> {
    const state = this.state;
    const now = Date.now();
    const request = {
      caseId: state.caseId, passId: uuid4(),
      validFrom: iso(now), validUntil: iso(now + state.policy.passValidityDays * DAY_MS),
    };
    const pass = await signGreenPass(request);
    grantPass(state, pass, Date.now(), actor, legacyRules());
    this.notify([greenPassIssued(state, pass.passId, pass.validUntil)]);
  }

  /** Upserts only the search attributes whose value changed since the last upsert. */
  publish(): void {
    const index = caseIndex(this.state);
    // Blank from now on; a case that published one before clears it once (no stale dates in lists).
    if (patched(DEADLINE_OUT_OF_VISIBILITY)) index.nextDeadline = undefined;
    const date = (t?: number) => (t === undefined ? null : new Date(t));
    const pairs: SearchAttributeUpdatePair[] = [];
    const put = <K extends keyof CaseIndex>(field: K, pair: SearchAttributeUpdatePair) => {
      if (this.published[field] !== index[field]) pairs.push(pair);
    };
    put('status', { key: keys.CaseStatus, value: index.status });
    put('village', { key: keys.CaseVillage, value: index.village });
    put('healthCode', { key: keys.CaseHealthCode, value: index.healthCode });
    put('policyVersion', { key: keys.CasePolicyVersion, value: index.policyVersion });
    put('isolationEnd', { key: keys.CaseIsolationEnd, value: date(index.isolationEnd) });
    put('nextDeadline', { key: keys.CaseNextDeadline, value: date(index.nextDeadline) });
    put('lastAbnormalAt', { key: keys.CaseLastAbnormalAt, value: date(index.lastAbnormalAt) });
    put('overdueSlots', { key: keys.CaseOverdueSlots, value: index.overdueSlots });
    put('escalationLevel', { key: keys.CaseEscalationLevel, value: index.escalationLevel });
    if (pairs.length) upsertSearchAttributes(pairs);
    this.published = index;
  }
}
