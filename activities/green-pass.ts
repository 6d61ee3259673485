// Green pass tokens (绿卡通行证): a compact JWS signed with Ed25519, checked offline at checkpoints
// with the public key. The payload holds only the pass and case references, the colour and the
// validity window — no name or ID number — so a scanned token reveals nobody.
// Revocation is not decided here: the API checks the case before trusting a valid token.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { GreenPass, GreenPassRequest } from './types';

const HEADER = { alg: 'EdDSA', typ: 'sanfan-pass+jws' } as const;
const ENCODED_HEADER = encodeJson(HEADER);
/** Far above a real token (~250 characters); longer input is rejected before any parsing. */
const MAX_TOKEN_LENGTH = 2_048;

interface PassPayload {
  pid: string;
  cid: string;
  col: 'green';
  nbf: number;
  exp: number;
  iat: number;
}

export type PassStatus = 'valid' | 'expired' | 'not_yet_valid' | 'forged';

export interface PassVerification {
  status: PassStatus;
  passId?: string;
  caseId?: string;
  colour?: 'green';
  validUntil?: string;
}

/**
 * Signs green passes with an Ed25519 PKCS#8 PEM key. Ed25519 signatures are deterministic and
 * `iat` is the request's validFrom, so a retried activity returns the very same token.
 */
export function createPassSigner(privateKeyPem: string): (request: GreenPassRequest) => Promise<GreenPass> {
  const privateKey = createPrivateKey(privateKeyPem);
  return async ({ caseId, passId, validFrom, validUntil }) => {
    const nbf = unixSeconds(validFrom);
    const exp = unixSeconds(validUntil);
    if (Number.isNaN(nbf) || Number.isNaN(exp) || exp <= nbf) {
      // Retrying cannot fix the request: fail at once so the workflow sees it.
      throw ApplicationFailure.nonRetryable(`green pass ${passId}: invalid validity window`, 'InvalidPassRequest');
    }
    const payload: PassPayload = { pid: passId, cid: caseId, col: 'green', nbf, exp, iat: nbf };
    const signingInput = `${ENCODED_HEADER}.${encodeJson(payload)}`;
    const signature = sign(null, Buffer.from(signingInput), privateKey).toString('base64url');
    return { passId, token: `${signingInput}.${signature}`, colour: 'green', validFrom, validUntil };
  };
}

/** The SPKI PEM public key that verifies passes signed with this private key. */
export function publicKeyPemFrom(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Checks a scanned token's signature and validity window at `now`. Anything that is not a token
 * this key signed — tampered, signed by another key, malformed, garbage — is 'forged'; it never throws
 * on a bad token. Throws only if `publicKeyPem` is not a key (a configuration error).
 */
export function verifyPassToken(token: string, publicKeyPem: string, now: Date): PassVerification {
  const publicKey = createPublicKey(publicKeyPem);
  const payload = signedPayload(token, publicKey);
  if (!payload) return { status: 'forged' };
  const nowMs = now.getTime();
  // As in JWT: usable from nbf on, no longer at exp.
  const status: PassStatus = nowMs < payload.nbf * 1000 ? 'not_yet_valid' : nowMs >= payload.exp * 1000 ? 'expired' : 'valid';
  return {
    status, passId: payload.pid, caseId: payload.cid, colour: payload.col,
    validUntil: new Date(payload.exp * 1000).toISOString(),
  };
}

/** The payload of a well-formed token whose signature this key verifies; otherwise undefined. */
function signedPayload(token: string, publicKey: KeyObject): PassPayload | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  // Only our exact header: no other algorithm or token type is ever accepted.
  if (encodedHeader !== ENCODED_HEADER) return undefined;
  const signature = decodeSegment(encodedSignature);
  if (!signature) return undefined;
  try {
    if (!verify(null, Buffer.from(`${encodedHeader}.${encodedPayload}`), publicKey, signature)) return undefined;
  } catch {
    return undefined; // e.g. a key of another type
  }
  const json = decodeSegment(encodedPayload);
  if (!json) return undefined;
  try {
    const payload: unknown = JSON.parse(json.toString('utf8'));
    return isPassPayload(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

function isPassPayload(value: unknown): value is PassPayload {
  const p = value as Partial<PassPayload> | null;
  return typeof p === 'object' && p !== null
    && typeof p.pid === 'string' && typeof p.cid === 'string' && p.col === 'green'
    && Number.isInteger(p.nbf) && Number.isInteger(p.exp) && Number.isInteger(p.iat);
}

/** Strict base64url: only the canonical encoding decodes, so no two token strings share a signature. */
function decodeSegment(segment: string): Buffer | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.length > 0 && bytes.toString('base64url') === segment ? bytes : undefined;
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
