// The worker's workflow bundle entry point.
export { returneeCase } from './returnee-case';
export { policyRollout } from './policy-rollout';
