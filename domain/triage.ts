// Triage at the checkpoint (三色码管控): the colour shown and the temperature taken decide.
import type { Policy } from './policy';
import type { HealthCodeColour } from './schemas';

export type Placement = 'green_pass' | 'home_isolation' | 'central_isolation';

export interface TriageResult {
  placement: Placement;
  /** zh-CN reason stamped on the case. */
  reason: string;
  policyVersion: string;
}

/**
 * A temperature as people read it: one decimal, but never rounded (37.25 is not "37.3", which
 * would be fever next to a reading that is not).
 */
export function celsius(temperatureC: number): string {
  return Number.isInteger(Math.round(temperatureC * 1e6) / 1e5) ? temperatureC.toFixed(1) : String(temperatureC);
}

export function isFever(temperatureC: number, policy: Policy): boolean {
  return temperatureC >= policy.feverThresholdC;
}

export function triage(healthCode: HealthCodeColour, temperatureC: number, policy: Policy): TriageResult {
  const stamp = (placement: Placement, reason: string) => ({ placement, reason, policyVersion: policy.version });
  if (isFever(temperatureC, policy)) {
    return stamp('central_isolation', `测温 ${celsius(temperatureC)}℃，达到发热标准 ${policy.feverThresholdC}℃`);
  }
  switch (healthCode) {
    case 'red': return stamp('central_isolation', '红码：集中医学隔离');
    case 'yellow': return stamp('home_isolation', '黄码：发放黄卡，居家隔离');
    case 'green': return stamp('green_pass', `绿码且体温正常（${celsius(temperatureC)}℃）：发放绿卡通行证`);
  }
}

const SEVERITY: Readonly<Record<Placement, number>> = { green_pass: 0, home_isolation: 1, central_isolation: 2 };

/** Central isolation is stricter than home isolation, which is stricter than a green pass. */
export function isStricter(placement: Placement, than: Placement): boolean {
  return SEVERITY[placement] > SEVERITY[than];
}
