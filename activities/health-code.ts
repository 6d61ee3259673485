// Health-code re-check (三色码复核): asks the health-code service for a person's current colour.
// Without a configured service a local simulator answers, so development needs nothing external.
// The ID-card number is sent to the service and nowhere else: not logged, not in any error.
import { z } from 'zod';
import type { HealthCodeColour, HealthCodeRecheckRequest, HealthCodeRecheckResult } from './types';
import { postJson, type FetchImpl } from './http';

export interface HealthCodeCheckerOptions {
  /** Re-check endpoint: takes `{ caseId, idCardNumber }`, answers `{ colour }`. Unset → simulator. */
  url?: string;
  fetchImpl?: FetchImpl;
  /** Simulator only: colours by ID-card number; everyone else is green. */
  simulatorOverrides?: ReadonlyMap<string, HealthCodeColour>;
}

const AnswerSchema = z.object({ colour: z.enum(['green', 'yellow', 'red']) });

export function createHealthCodeChecker(
  options: HealthCodeCheckerOptions = {},
): (request: HealthCodeRecheckRequest) => Promise<HealthCodeRecheckResult> {
  const { url, fetchImpl = fetch, simulatorOverrides = new Map() } = options;

  if (!url) {
    return async ({ idCardNumber }) => ({
      colour: simulatorOverrides.get(idCardNumber) ?? 'green',
      checkedAt: new Date().toISOString(),
      source: 'simulator',
    });
  }

  const source = new URL(url).host; // parsed once, so a malformed URL fails at start-up
  return async ({ caseId, idCardNumber }) => {
    const response = await postJson(fetchImpl, url, { caseId, idCardNumber });
    // Neither error quotes the body: the service might echo the request back.
    if (!response.ok) throw new Error(`health-code service ${source} answered HTTP ${response.status}`);
    const answer = AnswerSchema.safeParse(await response.json().catch(() => undefined));
    if (!answer.success) throw new Error(`health-code service ${source} answered without a valid colour`);
    return { colour: answer.data.colour, checkedAt: new Date().toISOString(), source };
  };
}
