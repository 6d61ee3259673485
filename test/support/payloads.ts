// Payloads and key rings for the codec tests: what the worker's default converter would hand the
// codec, and fresh AES-256 keys that nothing else uses.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Secrets } from '../../infra/secrets';

export type KeyRing = Secrets['encryptionKeys'];

export function keyRing(...ids: string[]): KeyRing {
  return ids.map((id) => ({ id, key: randomBytes(32) }));
}

export const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
export const fromPayload = <T>(payload: Payload): T => defaultPayloadConverter.fromPayload<T>(payload);

/** A payload's metadata value as text (metadata values are bytes). */
export const metadataText = (payload: Payload, key: string): string => Buffer.from(payload.metadata?.[key] ?? []).toString();

/** A person as the intake carries them: the bytes that must never reach Temporal in clear. */
export const PERSON = { name: '欧阳测试', phone: '13987654321', idCardNumber: '11010519491231002X' };

/** A payload in proto3 JSON, as the Web UI and the CLI send it to a codec server: bytes as base64. */
export interface ProtoJsonPayload { metadata: Record<string, string>; data?: string }

export function toProtoJson(payload: Payload): ProtoJsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    ...(payload.data ? { data: Buffer.from(payload.data).toString('base64') } : {}),
  };
}

export function fromProtoJson(json: ProtoJsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: json.data === undefined ? undefined : Buffer.from(json.data, 'base64'),
  };
}
