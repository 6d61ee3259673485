// The API wired to a real worker on the real dev server started by global-setup: what a
// caseworker's HTTP request meets in production, on free ports and a task queue of its own.
import pino, { type Logger } from 'pino';
import { inject } from 'vitest';
import { publicKeyPemFrom } from '../../activities/green-pass';
import { createApp } from '../../api/app';
import { mintToken, type Principal } from '../../api/auth';
import { temporalHealth } from '../../api/health';
import { policyByVersion } from '../../domain/policy';
import { startCaseWorker } from './case-worker';
import { testSecrets } from './keys';

/** `logger`: where the API's request and error logs go (default: nowhere). */
export async function startApiHarness(options: { logger?: Logger } = {}) {
  const address = inject('devServerAddress');
  const worker = await startCaseWorker(address);
  const app = createApp({
    cases: worker.cases, policy: policyByVersion('2026.1'), tokenSecret: testSecrets.tokenSecret,
    passPublicKeyPem: publicKeyPemFrom(testSecrets.passPrivateKeyPem),
    logger: options.logger ?? pino({ level: 'silent' }), health: temporalHealth(worker.connection, address, 'default'),
    // Tests read totals right after they change them, and a count on a busy test server may well
    // take 50 ms: no reuse here (test/api/costly-answers.test.ts and worklist-paging test it).
    countReuse: { reuseMs: 0 },
  });
  const token = (principal: Principal) => `Bearer ${mintToken(testSecrets.tokenSecret, principal)}`;
  return { ...worker, app, token };
}
