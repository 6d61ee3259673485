// The AES-256-GCM payload codec: what it promises about secrecy, integrity and key rotation.
import { ValueError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../infra/codec';
import { fromPayload, keyRing, metadataText, PERSON, toPayload } from '../support/payloads';

const [oldKey, newKey] = keyRing('k-old', 'k-new');

async function sealed(codec = new EncryptionCodec([oldKey])) {
  const [payload] = await codec.encode([toPayload(PERSON)]);
  return payload;
}

/** A copy of the payload with one byte of its data flipped. */
function flipped(payload: Awaited<ReturnType<typeof sealed>>, index: number) {
  const data = Buffer.from(payload.data!);
  data[index < 0 ? data.length + index : index] ^= 0x01;
  return { ...payload, data };
}

describe('EncryptionCodec', () => {
  it('decodes what it encoded, with the original encoding restored', async () => {
    const codec = new EncryptionCodec([oldKey]);
    const [decoded] = await codec.decode(await codec.encode([toPayload(PERSON)]));
    expect(fromPayload(decoded)).toEqual(PERSON);
    expect(metadataText(decoded, 'encoding')).toBe('json/plain');
  });

  it('encodes an empty batch and a payload without data', async () => {
    const codec = new EncryptionCodec([oldKey]);
    expect(await codec.encode([])).toEqual([]);
    const [decoded] = await codec.decode(await codec.encode([{ metadata: { encoding: Buffer.from('binary/null') } }]));
    expect(metadataText(decoded, 'encoding')).toBe('binary/null');
    expect(decoded.data).toBeUndefined();
  });

  it('produces a different ciphertext each time (random IV) that carries none of the plaintext', async () => {
    const first = await sealed();
    const second = await sealed();
    expect(Buffer.from(first.data!).equals(Buffer.from(second.data!))).toBe(false);
    expect(Buffer.from(first.data!).subarray(0, 12).equals(Buffer.from(second.data!).subarray(0, 12))).toBe(false);
    for (const payload of [first, second]) {
      const bytes = Buffer.from(payload.data!);
      for (const secret of Object.values(PERSON)) expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(metadataText(payload, 'encoding')).toBe('binary/encrypted');
    }
  });

  it('refuses a payload whose IV, ciphertext or tag was tampered with', async () => {
    const codec = new EncryptionCodec([oldKey]);
    const payload = await sealed(codec);
    for (const index of [0, 20, -1]) {
      await expect(codec.decode([flipped(payload, index)])).rejects.toThrow();
    }
    const truncated = { ...payload, data: Buffer.from(payload.data!).subarray(0, 20) };
    await expect(codec.decode([truncated])).rejects.toThrow();
  });

  it('refuses a payload relabelled with another known key', async () => {
    const payload = await sealed(new EncryptionCodec([oldKey]));
    const relabelled = { ...payload, metadata: { ...payload.metadata, 'encryption-key-id': Buffer.from(newKey.id) } };
    await expect(new EncryptionCodec([newKey, oldKey]).decode([relabelled])).rejects.toThrow();
  });

  it('after a rotation decodes old payloads, and encrypts new ones under the new key', async () => {
    const before = await sealed(new EncryptionCodec([oldKey]));
    expect(metadataText(before, 'encryption-key-id')).toBe('k-old');
    const rotated = new EncryptionCodec([newKey, oldKey]);
    expect(fromPayload((await rotated.decode([before]))[0])).toEqual(PERSON);
    const after = await sealed(rotated);
    expect(metadataText(after, 'encryption-key-id')).toBe('k-new');
    // Only the new key opens it: a codec that lacks it refuses.
    await expect(new EncryptionCodec([oldKey]).decode([after])).rejects.toBeInstanceOf(ValueError);
  });

  it('throws a ValueError for a key ID it does not hold', async () => {
    const payload = await sealed(new EncryptionCodec([oldKey]));
    await expect(new EncryptionCodec([newKey]).decode([payload])).rejects.toThrow(/unknown key "k-old"/);
  });

  it('passes payloads that are not encrypted through decode untouched', async () => {
    const plain = toPayload({ note: 'written before encryption was turned on' });
    const [decoded] = await new EncryptionCodec([oldKey]).decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('needs at least one key', () => {
    expect(() => new EncryptionCodec([])).toThrow(/at least one key/);
  });
});
