// Settings read from the environment fail loudly on a value they do not understand.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config';
import { workerTuning } from '../../worker/worker';

describe('worker settings', () => {
  it('record no workflow stack traces unless WORKER_WORKFLOW_STACK_TRACES=on', () => {
    expect(loadConfig({}).worker.workflowStackTraces).toBe(false);
    expect(loadConfig({ WORKER_WORKFLOW_STACK_TRACES: 'on' }).worker.workflowStackTraces).toBe(true);
    expect(loadConfig({ WORKER_WORKFLOW_STACK_TRACES: 'off' }).worker.workflowStackTraces).toBe(false);
  });

  it('refuse a switch that is neither on nor off, and a count that is not a whole number', () => {
    expect(() => loadConfig({ WORKER_WORKFLOW_STACK_TRACES: 'yes' })).toThrow(/WORKER_WORKFLOW_STACK_TRACES must be "on" or "off", got "yes"/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '10k' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS must be a non-negative integer/);
  });

  it('run workflow code on one thread unless WORKER_WORKFLOW_THREADS says more, and never on none', () => {
    expect(workerTuning(loadConfig({}).worker).workflowThreadPoolSize).toBe(1);
    expect(workerTuning(loadConfig({ WORKER_WORKFLOW_THREADS: '2' }).worker).workflowThreadPoolSize).toBe(2);
    expect(() => loadConfig({ WORKER_WORKFLOW_THREADS: '0' })).toThrow(/WORKER_WORKFLOW_THREADS must be a positive integer, got "0"/);
  });
});
