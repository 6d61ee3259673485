// Every number of the procedure lives in one versioned policy object. A new version applies to
// new cases; open cases adopt it only when told to, and the change is stamped on them.

export interface SlotRule {
  period: 'morning' | 'evening';
  /** Shanghai wall-clock time from which a check-in counts for this slot, "HH:MM". */
  opens: string;
  /** Deadline, "HH:MM": missed if nothing came by then. */
  due: string;
}

export interface Policy {
  version: string;
  description: string;
  /** At or above this temperature (°C) a reading is fever. */
  feverThresholdC: number;
  homeIsolationDays: number;
  centralisedIsolationDays: number;
  slots: SlotRule[];
  /** Rung 2: a task for the village cadre this long after a missed deadline. */
  cadreTaskAfterMinutes: number;
  /** Rung 3: doctor and police door visit at this many consecutive misses. */
  doorVisitAtMisses: number;
  /** Rung 4: area supervisor alerted, transfer recommended, at this many consecutive misses. */
  transferAtMisses: number;
  /** Release needs no abnormal slot in this many hours before the end. */
  releaseLookbackHours: number;
  /** A blocked release is tried again this often. */
  releaseRecheckHours: number;
  requireSupervisorSignOff: boolean;
  passValidityDays: number;
}

const standard: Policy = {
  version: '2026.1',
  description: '14 天居家隔离，每日两次健康打卡（10:00、20:00 截止）',
  feverThresholdC: 37.3,
  homeIsolationDays: 14,
  centralisedIsolationDays: 14,
  slots: [
    { period: 'morning', opens: '06:00', due: '10:00' },
    { period: 'evening', opens: '16:00', due: '20:00' },
  ],
  cadreTaskAfterMinutes: 60,
  doorVisitAtMisses: 2,
  transferAtMisses: 3,
  releaseLookbackHours: 48,
  releaseRecheckHours: 24,
  requireSupervisorSignOff: false,
  passValidityDays: 30,
};

export const POLICIES: Readonly<Record<string, Policy>> = {
  [standard.version]: standard,
  '2026.2': {
    ...standard,
    version: '2026.2',
    description: '居家隔离缩短为 7 天；解除隔离须经督导签字',
    homeIsolationDays: 7,
    requireSupervisorSignOff: true,
  },
};

export const DEFAULT_POLICY_VERSION = standard.version;

/** Own keys only: "constructor" or "__proto__" are not policy versions. */
export function isKnownPolicyVersion(version: string): boolean {
  return Object.hasOwn(POLICIES, version);
}

export function policyByVersion(version: string = DEFAULT_POLICY_VERSION): Policy {
  const policy = isKnownPolicyVersion(version) ? POLICIES[version] : undefined;
  if (!policy) throw new Error(`unknown policy version "${version}"; known: ${Object.keys(POLICIES).join(', ')}`);
  return policy;
}
