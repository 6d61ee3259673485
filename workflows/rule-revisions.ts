// Corrections to the rules that change what a running case does next (its timers, its search
// attributes). A case whose history began before a correction replays with the old rule up to the
// point where the correction was first asked about; from then on, and in every new case, the new
// rule holds. (Temporal's patch markers: https://docs.temporal.io/develop/typescript/versioning)
import { patched } from '@temporalio/workflow';

/**
 * December 2026, from a review of the rules:
 * - a check-in fills the slot whose window is open before a missed one, and one that arrives just
 *   after a deadline the case has not yet acted on counts as late instead of unscheduled;
 * - a green pass ends the run of misses (the case leaves the overdue list);
 * - adopting a policy keeps a doctor's extension;
 * - a red code at the release re-check sends a person in home isolation to central isolation;
 * - a release attempt gives up when the isolation it was deciding on was replaced meanwhile;
 * - a case due to continue as new keeps attending its deadlines while a handler or a delivery
 *   is still under way, instead of waiting for them.
 */
const DECEMBER_2026 = 'rules-2026-12';

/** True only while a case replays history from before December 2026's corrections. */
export function legacyRules(): boolean {
  return !patched(DECEMBER_2026);
}
