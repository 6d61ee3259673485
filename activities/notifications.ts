// Notifications: always a structured log line, and a post to the WeCom/DingTalk group bot when a
// webhook is configured. Temporal retries a failed attempt, so delivery is at-least-once; the
// idempotency key keeps a retry whose first attempt did get through from posting twice.
import type { Notification, NotificationReceipt } from './types';
import { rememberBounded } from '../infra/bounded-map';
import { postJson, type FetchImpl } from './http';

/** The part of a pino logger the notifier uses. */
export interface NotificationLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface NotifierOptions {
  /** Group-bot webhook. Its query string holds the bot's secret key: never logged nor put in errors. */
  webhookUrl?: string;
  logger: NotificationLogger;
  fetchImpl?: FetchImpl;
  /** How many delivered keys to remember. */
  rememberKeys?: number;
}

export function createNotifier(options: NotifierOptions): (notification: Notification) => Promise<NotificationReceipt> {
  const { webhookUrl, logger, fetchImpl = fetch, rememberKeys = 10_000 } = options;
  const channels = webhookUrl ? ['log', 'webhook'] : ['log'];
  // Delivered or still in flight, by idempotency key; a failed delivery removes itself.
  const deliveries = new Map<string, Promise<void>>();

  async function post(notification: Notification): Promise<void> {
    if (!webhookUrl) return;
    const response = await postJson(
      fetchImpl, webhookUrl,
      { msgtype: 'text', text: { content: notification.text } },
      { 'Idempotency-Key': notification.idempotencyKey },
    );
    const refusal = refusalOf(response.status, await response.text());
    if (refusal) throw new Error(`notification ${notification.idempotencyKey} not delivered: webhook ${refusal}`);
  }

  return async function notify(notification) {
    const { caseId, kind, audiences, idempotencyKey, village } = notification;
    // Only these fields: the text is for people, logs stay structured.
    logger.info({ caseId, kind, audiences, idempotencyKey, village }, 'notification');

    // A retry may arrive while an earlier attempt is still posting: wait for it rather than post again.
    for (let earlier = deliveries.get(idempotencyKey); earlier; earlier = deliveries.get(idempotencyKey)) {
      try {
        await earlier;
        return { idempotencyKey, channels, firstDelivery: false };
      } catch {
        // That attempt failed and has forgotten its key; look again, then deliver ourselves.
      }
    }

    const delivery = post(notification);
    rememberBounded(deliveries, idempotencyKey, delivery, rememberKeys);
    // Attached before anyone else awaits it, so waiters resume after the failed key is gone.
    delivery.catch(() => {
      if (deliveries.get(idempotencyKey) === delivery) deliveries.delete(idempotencyKey);
    });
    await delivery;
    return { idempotencyKey, channels, firstDelivery: true };
  };
}

/**
 * Why the bot did not take the message, or undefined when it did. WeCom and DingTalk answer
 * HTTP 200 with `{ errcode: 0 }` on success and a non-zero errcode (e.g. rate limited) otherwise.
 * Their errmsg is not repeated: only the codes go into the error.
 */
function refusalOf(status: number, body: string): string | undefined {
  if (status < 200 || status > 299) return `answered HTTP ${status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined; // not a group bot's answer shape; the 2xx is all we can go by
  }
  const errcode = (parsed as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' && errcode !== 0 ? `refused the message (errcode ${errcode})` : undefined;
}
