// The side effects a case needs, as small interfaces. Workflows import these *types* only;
// the worker builds the real adapters from configuration (activities/index.ts).
// Every input that may carry PII travels as an activity payload, which the codec encrypts.

export type Audience =
  | 'returnee' | 'landlord' | 'village_cadre' | 'grid_worker' | 'doctor' | 'police'
  | 'area_supervisor' | 'facility_staff';

export type NotificationKind =
  | 'check_in_reminder'      // rung 1: at the missed deadline, to returnee and landlord
  | 'cadre_task'             // rung 2: an hour later, a task for the village cadre
  | 'door_visit'             // rung 3: second consecutive miss, doctor and police visit
  | 'transfer_recommended'   // rung 4: third consecutive miss, area supervisor
  | 'abnormal_check_in'      // fever or symptom reported: doctor reviews
  | 'centralised_isolation'  // red code / fever at intake, or doctor's decision: doctor and facility
  | 'release_blocked'        // period over but conditions not met: supervisor told why
  | 'sign_off_needed'        // policy requires a supervisor's sign-off before release
  | 'green_pass_issued'
  | 'case_closed';

export interface Notification {
  /** Stable across retries (e.g. `caseId:slotId:rung`): delivering twice is harmless. */
  idempotencyKey: string;
  caseId: string;
  village: string;
  kind: NotificationKind;
  audiences: Audience[];
  /** zh-CN text for the group bot; carries the case reference, never a name, phone or ID number. */
  text: string;
  /** ISO time the workflow decided to notify. */
  at: string;
}

export interface NotificationReceipt {
  idempotencyKey: string;
  channels: string[];
  /** false when this key had already been delivered by an earlier attempt. */
  firstDelivery: boolean;
}

export type HealthCodeColour = 'green' | 'yellow' | 'red';

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
