// Search attributes that feed the supervisors' lists. None carries PII: only status, village
// code, colour, policy version, dates and counters. Workflow IDs are keyed hashes, not ID numbers.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const CaseVillage = defineSearchAttributeKey('CaseVillage', SearchAttributeType.KEYWORD);
export const CaseHealthCode = defineSearchAttributeKey('CaseHealthCode', SearchAttributeType.KEYWORD);
export const CasePolicyVersion = defineSearchAttributeKey('CasePolicyVersion', SearchAttributeType.KEYWORD);
export const CaseIsolationEnd = defineSearchAttributeKey('CaseIsolationEnd', SearchAttributeType.DATETIME);
/** No longer set (see effects.ts; a case that had set it clears it once); declared for the cases and histories that did. */
export const CaseNextDeadline = defineSearchAttributeKey('CaseNextDeadline', SearchAttributeType.DATETIME);
export const CaseLastAbnormalAt = defineSearchAttributeKey('CaseLastAbnormalAt', SearchAttributeType.DATETIME);
export const CaseOverdueSlots = defineSearchAttributeKey('CaseOverdueSlots', SearchAttributeType.INT);
export const CaseEscalationLevel = defineSearchAttributeKey('CaseEscalationLevel', SearchAttributeType.INT);

export const caseSearchAttributes = [
  CaseStatus, CaseVillage, CaseHealthCode, CasePolicyVersion,
  CaseIsolationEnd, CaseNextDeadline, CaseLastAbnormalAt,
  CaseOverdueSlots, CaseEscalationLevel,
] as const;

/**
 * Set on every case but filtered on by no list or query of sanfan's: the embedded server keeps no
 * index for them (infra/visibility-indexes.ts). A query on one still answers, by a scan.
 */
export const unfilteredSearchAttributes = [CaseHealthCode, CaseNextDeadline] as const;
