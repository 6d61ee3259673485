// Messages between the bench and its worker process (Node IPC).
import type { WorkerTuning } from '../worker/worker';

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** `id:base64key[,…]`, as SANFAN_ENCRYPTION_KEYS: payloads stay encrypted as in production. */
  encryptionKeys: string;
  passPrivateKeyPem: string;
  tuning: WorkerTuning;
  /** host:port of the worker runtime's Prometheus endpoint (cache hits, misses, evictions). */
  metricsAddress: string;
}

export type ToWorker =
  | { type: 'start'; settings: WorkerSettings }
  | { type: 'counts' }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  /** Notifications delivered so far, by kind (check_in_reminder, cadre_task, …). */
  | { type: 'counts'; notified: Record<string, number> };
