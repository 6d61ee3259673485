// Workflow code bundled for a test, without the bundler's progress lines in the test output.
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never;

export function bundleQuietly(workflowsPath: string): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath, logger: silent });
}
