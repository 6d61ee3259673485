// The side effects a case needs, as small interfaces. Workflows import these *types* only;
// the worker builds the real adapters from configuration (activities/index.ts).
// Every input that may carry PII travels as an activity payload, which the codec encrypts.

import type { NotificationDraft } from '../domain/notices';
import type { HealthCodeColour } from '../domain/schemas';
import type { Actor } from '../domain/case';
import type { RolloutCounts } from '../workflows/rollout-definitions';

export type { Audience, NotificationKind } from '../domain/notices';
export type { HealthCodeColour };

/** A notification draft of the domain, addressed to one case. */
export interface Notification extends NotificationDraft {
  caseId: string;
  village: string;
  /** ISO time the workflow decided to notify. */
  at: string;
}

export interface NotificationReceipt {
  idempotencyKey: string;
  channels: string[];
  /** false when this key had already been delivered by an earlier attempt. */
  firstDelivery: boolean;
}

export interface HealthCodeRecheckRequest {
  caseId: string;
  /** Needed by the health-code service; travels encrypted, never logged. */
  idCardNumber: string;
}

export interface HealthCodeRecheckResult {
  colour: HealthCodeColour;
  checkedAt: string;
  source: string;
}

export interface FacilityRequest {
  caseId: string;
  village: string;
  /** Stable key so a retried assignment returns the same room. */
  idempotencyKey: string;
}

export interface FacilityAssignment {
  facilityId: string;
  facilityName: string;
}

export interface GreenPassRequest {
  caseId: string;
  /** Unique per issue (workflow uuid4), the idempotency key of the signature. */
  passId: string;
  validFrom: string;
  validUntil: string;
}

export interface GreenPass {
  passId: string;
  token: string;
  colour: 'green';
  validFrom: string;
  validUntil: string;
}

export interface CaseActivities {
  notify(notification: Notification): Promise<NotificationReceipt>;
  recheckHealthCode(request: HealthCodeRecheckRequest): Promise<HealthCodeRecheckResult>;
  assignFacility(request: FacilityRequest): Promise<FacilityAssignment>;
  signGreenPass(request: GreenPassRequest): Promise<GreenPass>;
}

export interface RolloutPageRequest {
  version: string;
  village?: string;
  actor: Actor;
  /** Where the previous page ended (Temporal's visibility page token, base64); none: the first page. */
  pageToken?: string;
}

export interface RolloutPageResult extends RolloutCounts {
  /** None: that was the last page. */
  nextPageToken?: string;
}

/** The policy rollout's one side effect: a page of open cases told to adopt a version. */
export interface RolloutActivities {
  adoptPolicyOnPage(request: RolloutPageRequest): Promise<RolloutPageResult>;
}
