// The worker's activities, built from configuration. Only wiring: each adapter lives in its own file.
import type { CaseActivities } from './types';
import { createFacilityAssigner, type Facility } from './facilities';
import { createPassSigner } from './green-pass';
import { createHealthCodeChecker } from './health-code';
import type { FetchImpl } from './http';
import { createNotifier, type NotificationLogger } from './notifications';

export interface ActivityDeps {
  logger: NotificationLogger;
  /** Unset → notifications are only logged. */
  notifyWebhookUrl?: string;
  /** Unset → the local health-code simulator answers (everyone green). */
  healthCodeUrl?: string;
  /** Ed25519 PKCS#8 PEM that signs green passes. */
  passPrivateKeyPem: string;
  /** Unset → the two demo sites. */
  facilities?: Facility[];
  fetchImpl?: FetchImpl;
}

export function createActivities(deps: ActivityDeps): CaseActivities {
  return {
    notify: createNotifier({ webhookUrl: deps.notifyWebhookUrl, logger: deps.logger, fetchImpl: deps.fetchImpl }),
    recheckHealthCode: createHealthCodeChecker({ url: deps.healthCodeUrl, fetchImpl: deps.fetchImpl }),
    assignFacility: createFacilityAssigner({ facilities: deps.facilities }),
    signGreenPass: createPassSigner(deps.passPrivateKeyPem),
  };
}
