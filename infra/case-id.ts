// A case's workflow ID is a keyed hash of the person's ID-card number: the same person always
// maps to the same ID (registration is idempotent), and the ID reveals nothing without the key.
import { createHmac } from 'node:crypto';
import { normaliseIdCard } from '../domain/id-card';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** `sf-` and 20 base32 characters (100 bits of the HMAC-SHA256). */
export function caseIdFor(idCardNumber: string, key: Buffer): string {
  const digest = createHmac('sha256', key).update(normaliseIdCard(idCardNumber)).digest();
  return `sf-${base32(digest).slice(0, 20)}`;
}

export const CASE_ID_PATTERN = /^sf-[a-z2-7]{20}$/;
