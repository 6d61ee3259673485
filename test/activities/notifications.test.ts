// The notifier against a real local webhook: the group-bot shape, retries that must not post
// twice, and failures that must reach Temporal as errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../activities/notifications';
import type { Notification } from '../../activities/types';
import { startLocalServer, type LocalServer } from './local-server';

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: 'sf-abc:2026-02-11-am:1',
    caseId: 'sf-abc',
    village: 'dafenshanyan',
    kind: 'check_in_reminder',
    audiences: ['returnee', 'landlord'],
    text: '【三返防控】个案 sf-abc 上午打卡已超时，请尽快完成健康打卡。',
    at: '2026-02-11T02:00:00.000Z',
    ...overrides,
  };
}

function recordingLogger() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return { lines, info: (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message }) };
}

describe('notifications without a webhook', () => {
  it('logs the structured fields only, never the text', async () => {
    const logger = recordingLogger();
    const notify = createNotifier({ logger });
    const n = notification();
    expect(await notify(n)).toEqual({ idempotencyKey: n.idempotencyKey, channels: ['log'], firstDelivery: true });
    expect(logger.lines).toEqual([{
      message: 'notification',
      fields: { caseId: 'sf-abc', kind: 'check_in_reminder', audiences: ['returnee', 'landlord'], idempotencyKey: n.idempotencyKey, village: 'dafenshanyan' },
    }]);
  });

  it('a repeated key is not a first delivery', async () => {
    const notify = createNotifier({ logger: recordingLogger() });
    await notify(notification());
    expect((await notify(notification())).firstDelivery).toBe(false);
  });
});

describe('notifications to a group-bot webhook', () => {
  let server: LocalServer;
  beforeEach(async () => {
    server = await startLocalServer('/cgi-bin/webhook/send?key=bot-secret');
  });
  afterEach(() => server.close());

  it('posts the text message shape with the idempotency key', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger() });
    const n = notification();
    expect(await notify(n)).toEqual({ idempotencyKey: n.idempotencyKey, channels: ['log', 'webhook'], firstDelivery: true });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/cgi-bin/webhook/send?key=bot-secret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(n.idempotencyKey);
    expect(JSON.parse(request.body)).toEqual({ msgtype: 'text', text: { content: n.text } });
  });

  it('a retry after a delivered attempt does not post again', async () => {
    const logger = recordingLogger();
    const notify = createNotifier({ webhookUrl: server.url, logger });
    await notify(notification());
    expect(await notify(notification())).toMatchObject({ firstDelivery: false, channels: ['log', 'webhook'] });
    expect(server.requests).toHaveLength(1);
    expect(logger.lines).toHaveLength(2); // every attempt is still logged
  });

  it('concurrent attempts with one key post once', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger() });
    const receipts = await Promise.all([notify(notification()), notify(notification()), notify(notification())]);
    expect(receipts.map((r) => r.firstDelivery).sort()).toEqual([false, false, true]);
    expect(server.requests).toHaveLength(1);
  });

  it('different keys each post', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger() });
    await notify(notification({ idempotencyKey: 'sf-abc:2026-02-11-am:1' }));
    await notify(notification({ idempotencyKey: 'sf-abc:2026-02-11-am:2', kind: 'cadre_task', audiences: ['village_cadre'] }));
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['sf-abc:2026-02-11-am:1', 'sf-abc:2026-02-11-am:2']);
  });

  it('an HTTP 500 throws without the text or the webhook secret, and the retry delivers', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger() });
    const n = notification();
    server.answerWith({ status: 500, body: `{"error":"${n.text}"}` });
    const failure = await notify(n).then(() => undefined, (error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).toContain('HTTP 500');
    expect(failure!.message).not.toContain(n.text);
    expect(failure!.message).not.toContain('bot-secret');

    server.answerWith({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    expect((await notify(n)).firstDelivery).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('a bot refusal with HTTP 200 and a non-zero errcode throws', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger() });
    server.answerWith({ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' });
    await expect(notify(notification())).rejects.toThrow(/errcode 45009/);
  });

  it('remembers a bounded number of keys, forgetting the oldest', async () => {
    const notify = createNotifier({ webhookUrl: server.url, logger: recordingLogger(), rememberKeys: 2 });
    for (const key of ['k1', 'k2', 'k3']) await notify(notification({ idempotencyKey: key }));
    expect((await notify(notification({ idempotencyKey: 'k3' }))).firstDelivery).toBe(false);
    expect((await notify(notification({ idempotencyKey: 'k1' }))).firstDelivery).toBe(true);
    expect(server.requests).toHaveLength(4);
  });
});
