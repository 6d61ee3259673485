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

export function isFever(temperatureC: number, policy: Policy): boolean {
  return temperatureC >= policy.feverThresholdC;
}

export function triage(healthCode: HealthCodeColour, temperatureC: number, policy: Policy): TriageResult {
  const stamp = (placement: Placement, reason: string) => ({ placement, reason, policyVersion: policy.version });
  if (isFever(temperatureC, policy)) {
    return stamp('central_isolation', `测温 ${temperatureC.toFixed(1)}℃，达到发热标准 ${policy.feverThresholdC}℃`);
  }
  switch (healthCode) {
    case 'red': return stamp('central_isolation', '红码：集中医学隔离');
    case 'yellow': return stamp('home_isolation', '黄码：发放黄卡，居家隔离');
    case 'green': return stamp('green_pass', `绿码且体温正常（${temperatureC.toFixed(1)}℃）：发放绿卡通行证`);
  }
}
