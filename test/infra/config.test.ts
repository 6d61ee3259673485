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

  it('refuse counts the worker cannot run with, or that the SDK would quietly change', () => {
    for (const name of ['WORKER_MAX_CONCURRENT_ACTIVITIES', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS', 'WORKER_STICKY_QUEUE_TIMEOUT_SECONDS']) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(`${name} must be a positive integer, got "0"`));
    }
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS must be 0 \(no cache\) or at least 2, got "1"/);
    expect(() => loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(/WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must be at least 2 with a workflow cache, got "1"/);
    expect(() => loadConfig({ WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS: '1' })).toThrow(/WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS must be at least 2 with a workflow cache/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '20' })).toThrow(/WORKER_MAX_CONCURRENT_WORKFLOW_TASKS \(40\) must not exceed WORKER_MAX_CACHED_WORKFLOWS \(20\)/);
  });

  it('accept a worker without a cache, one task at a time', () => {
    const worker = loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1', WORKER_MAX_CONCURRENT_WORKFLOW_TASK_POLLS: '1' }).worker;
    expect(worker).toMatchObject({ maxCachedWorkflows: 0, maxConcurrentWorkflowTasks: 1, maxConcurrentWorkflowTaskPolls: 1 });
  });
});

describe('server and API settings', () => {
  it('take ports from 1 to 65535 and a retention of at least a day', () => {
    expect(loadConfig({ PORT: '8080', CODEC_PORT: '18888' })).toMatchObject({ api: { port: 8080 }, codec: { port: 18888 } });
    for (const name of ['PORT', 'CODEC_PORT', 'TEMPORAL_DEV_PORT', 'TEMPORAL_UI_PORT']) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(`${name} must be a positive integer from 1 to 65535, got "0"`));
      expect(() => loadConfig({ [name]: '70000' })).toThrow(new RegExp(`${name} must be a positive integer from 1 to 65535, got "70000"`));
    }
    expect(() => loadConfig({ SANFAN_RETENTION_DAYS: '0' })).toThrow(/SANFAN_RETENTION_DAYS must be a positive integer, got "0"/);
  });

  it('reuse a costly count for 10 s unless API_COUNT_REUSE_SECONDS says otherwise (0: never), up to an hour', () => {
    expect(loadConfig({}).api.countReuseSeconds).toBe(10);
    expect(loadConfig({ API_COUNT_REUSE_SECONDS: '0' }).api.countReuseSeconds).toBe(0);
    expect(() => loadConfig({ API_COUNT_REUSE_SECONDS: '-1' })).toThrow(/API_COUNT_REUSE_SECONDS must be a non-negative integer from 0 to 3600, got "-1"/);
    expect(() => loadConfig({ API_COUNT_REUSE_SECONDS: '7200' })).toThrow(/API_COUNT_REUSE_SECONDS must be a non-negative integer from 0 to 3600/);
  });
});
