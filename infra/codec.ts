// AES-256-GCM payload codec: every workflow/activity argument, result, query answer and
// update payload is encrypted before it leaves the process. The key ID travels in the payload
// metadata so that old keys keep decrypting after a rotation.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { ValueError } from '@temporalio/common';
import type { Secrets } from './secrets';

const ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Serialisable form of a Payload (the protobuf message), used as the plaintext. */
function serialise(payload: Payload): Buffer {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')]),
  );
  const data = payload.data ? Buffer.from(payload.data).toString('base64') : undefined;
  return Buffer.from(JSON.stringify({ metadata, data }));
}

function deserialise(bytes: Buffer): Payload {
  const { metadata, data } = JSON.parse(bytes.toString()) as { metadata: Record<string, string>; data?: string };
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: data === undefined ? undefined : Buffer.from(data, 'base64'),
  };
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(keys: Secrets['encryptionKeys']) {
    if (keys.length === 0) throw new Error('EncryptionCodec needs at least one key');
    this.current = keys[0];
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([cipher.update(serialise(payload)), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCODING),
          'encryption-key-id': Buffer.from(this.current.id),
        },
        data: Buffer.concat([iv, sealed]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      const key = this.keys.get(keyId);
      if (!key) throw new ValueError(`payload encrypted with unknown key "${keyId}"`);
      const bytes = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
      return deserialise(plain);
    });
  }
}
