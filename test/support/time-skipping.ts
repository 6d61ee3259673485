// A time-skipping Temporal test server (the Java one from Maven Central) with a case worker on
// it, so that a 14-day case runs in seconds. Side effects are recorded, not sent.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { inject } from 'vitest';
import type {
  CaseActivities, FacilityRequest, GreenPassRequest, HealthCodeColour, HealthCodeRecheckRequest, Notification,
} from '../../activities/types';
import { createFacilityAssigner } from '../../activities/facilities';
import { createPassSigner } from '../../activities/green-pass';
import { CaseClient } from '../../api/case-client';
import type { Secrets } from '../../infra/secrets';
import { CurrentRuns } from '../../infra/current-runs';
import { caseEngineClientOptions, dataConverter, registerSearchAttributes } from '../../infra/temporal';
import { createCaseWorker, workflowsPath } from '../../worker/worker';
import { bundleQuietly } from './bundle';
import { testSecrets } from './keys';

/** Activities that record what the workflow asked for; health-code answers are scripted. */
export class RecordingActivities implements CaseActivities {
  notifications: Notification[] = [];
  healthCodes = new Map<string, HealthCodeColour>();
  facilityRequests: FacilityRequest[] = [];
  private readonly assign = createFacilityAssigner({});
  private readonly sign = createPassSigner(testSecrets.passPrivateKeyPem);

  /** Delivery attempts still to refuse, by case and kind: a webhook that is down. */
  private readonly refusals = new Map<string, number>();
  /** Attempts refused so far, by case and kind. */
  readonly refused = new Map<string, number>();

  refuseDeliveries(caseId: string, kind: Notification['kind'], attempts: number): void {
    this.refusals.set(`${caseId}/${kind}`, attempts);
  }

  async notify(notification: Notification) {
    const key = `${notification.caseId}/${notification.kind}`;
    const left = this.refusals.get(key) ?? 0;
    if (left > 0) {
      this.refusals.set(key, left - 1);
      this.refused.set(key, (this.refused.get(key) ?? 0) + 1);
      throw new Error('webhook down');
    }
    this.notifications.push(notification);
    return { idempotencyKey: notification.idempotencyKey, channels: ['test'], firstDelivery: true };
  }

  async recheckHealthCode(request: HealthCodeRecheckRequest) {
    return { colour: this.healthCodes.get(request.caseId) ?? 'green', checkedAt: new Date().toISOString(), source: 'test' };
  }

  async assignFacility(request: FacilityRequest) {
    this.facilityRequests.push(request);
    return this.assign(request);
  }

  async signGreenPass(request: GreenPassRequest) {
    return this.sign(request);
  }

  of(caseId: string, kind?: Notification['kind']): Notification[] {
    return this.notifications.filter((n) => n.caseId === caseId && (!kind || n.kind === kind));
  }
}

let bundle: Promise<WorkflowBundle> | undefined;
/** Bundled once per test file: bundling takes seconds. */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleQuietly(workflowsPath);
  return bundle;
}

export interface TimeSkippingHarness {
  env: TestWorkflowEnvironment;
  cases: CaseClient;
  activities: RecordingActivities;
  taskQueue: string;
  /** The client's memory of each case's current run. */
  currentRuns: CurrentRuns;
  stop(): Promise<void>;
}

/** `encryptionKeys` fixed by the history recorder, so that replay tests can decode what it saved. */
export async function startTimeSkipping(options: { encryptionKeys?: Secrets['encryptionKeys'] } = {}): Promise<TimeSkippingHarness> {
  const encryption = { encryptionKeys: options.encryptionKeys ?? testSecrets.encryptionKeys };
  const converter = dataConverter(encryption);
  const currentRuns = new CurrentRuns();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    // As the API's client: updates go to each case's current run (infra/current-runs.ts).
    client: caseEngineClientOptions(encryption, currentRuns),
  });
  try {
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
    const taskQueue = `cases-${randomUUID()}`;
    const activities = new RecordingActivities();
    const worker = await createCaseWorker({
      connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue,
      dataConverter: converter, activities, workflowBundle: await workflowBundle(),
    });
    const running = worker.run();
    const cases = new CaseClient({ client: env.client, taskQueue, caseIdKey: testSecrets.caseIdKey });
    return {
      env, cases, currentRuns, activities, taskQueue,
      async stop() {
        worker.shutdown();
        await running;
        await env.teardown();
      },
    };
  } catch (error) {
    await env.teardown(); // or the Java server outlives the test run
    throw error;
  }
}
