// The SDK patch's memory part (patches/@temporalio+worker+*.patch, worker.js and rxutils.js): once
// a case's workflow task is done, the worker's main thread keeps neither the activation it decoded
// nor the completion it encoded. As shipped, each cached case held on to both until it left the
// cache: its last payloads, and the 8 KiB buffer slab the completion was cut from.
import { setImmediate as nextTurn } from 'node:timers/promises';
import v8 from 'node:v8';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain';
import { policyByVersion } from '../../domain/policy';
import { startCaseWorker } from '../support/case-worker';
import { makeIntake } from '../support/intake';

const actor: Actor = { role: 'caseworker', id: 'cw-memory-test' };
const CASES = 6;

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Every activation the worker decodes and every completion it encodes, held weakly. */
const decoded: WeakRef<object>[] = [];
const encoded: WeakRef<object>[] = [];
let lastSeen = Date.now();
// The protobuf classes, resolved from the SDK's worker package as it loads them.
const requireFromWorker = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'));
const { coresdk } = requireFromWorker('@temporalio/proto') as typeof import('@temporalio/proto');
const { WorkflowActivation } = coresdk.workflow_activation;
const { WorkflowActivationCompletion } = coresdk.workflow_completion;
// protobufjs builds each type's coder on its first use and installs it over the one it was
// called as: use both once, so that the wrappers below are not replaced.
WorkflowActivation.decode(WorkflowActivation.encode({}).finish());
WorkflowActivationCompletion.encodeDelimited({}).finish();
const shippedDecode = WorkflowActivation.decode;
const shippedEncode = WorkflowActivationCompletion.encodeDelimited;

beforeAll(() => {
  WorkflowActivation.decode = (...args: Parameters<typeof shippedDecode>) => {
    const activation = shippedDecode.apply(WorkflowActivation, args);
    decoded.push(new WeakRef(activation));
    lastSeen = Date.now();
    return activation;
  };
  WorkflowActivationCompletion.encodeDelimited = (...args: Parameters<typeof shippedEncode>) => {
    const writer = shippedEncode.apply(WorkflowActivationCompletion, args);
    const finish = writer.finish.bind(writer);
    writer.finish = () => {
      const bytes = finish();
      encoded.push(new WeakRef(bytes));
      lastSeen = Date.now();
      return bytes;
    };
    return writer;
  };
});

afterAll(() => {
  WorkflowActivation.decode = shippedDecode;
  WorkflowActivationCompletion.encodeDelimited = shippedEncode;
});

async function alive(refs: WeakRef<object>[]): Promise<number> {
  // A WeakRef keeps its target until the turn that made or read it ends: collect between turns.
  for (let i = 0; i < 3; i++) {
    await nextTurn();
    collectGarbage();
  }
  await nextTurn();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

it('a cached case keeps no activation or completion in the worker\'s main thread', async () => {
  const worker = await startCaseWorker(inject('devServerAddress'));
  try {
    for (let i = 0; i < CASES; i++) await worker.cases.register(makeIntake(), policyByVersion('2026.1'), actor);
    // Registration's notifications and code check run after the answer: wait until the cases are idle.
    while (Date.now() - lastSeen < 1_000) await new Promise((resolve) => setTimeout(resolve, 200));

    expect(decoded.length).toBeGreaterThanOrEqual(CASES);
    expect(encoded.length).toBeGreaterThanOrEqual(CASES);
    // All six are still cached (the cache holds 10,000). As shipped, each kept its last activation
    // and completion (six of each lived on); now at most the worker's latest one of each does.
    expect(await alive(decoded)).toBeLessThanOrEqual(1);
    expect(await alive(encoded)).toBeLessThanOrEqual(1);
  } finally {
    await worker.stop();
  }
});
