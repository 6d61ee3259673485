// Green pass tokens: what a checkpoint's offline verification accepts, and everything it must not.
import { generateKeyPairSync } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createPassSigner, publicKeyPemFrom, verifyPassToken } from '../../activities/green-pass';
import type { GreenPassRequest } from '../../activities/types';

const newPrivateKeyPem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const privateKeyPem = newPrivateKeyPem();
const publicKeyPem = publicKeyPemFrom(privateKeyPem);
const sign = createPassSigner(privateKeyPem);

const request: GreenPassRequest = {
  caseId: 'sf-abc', passId: '5b0f1f8e-9a55-4a43-9f9e-0c7e3c1d2a10',
  validFrom: '2026-02-24T12:00:00.000Z', validUntil: '2026-03-10T12:00:00.000Z',
};
const during = new Date('2026-03-01T00:00:00.000Z');

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
/** The token with its payload replaced, keeping the original signature. */
const withPayload = (token: string, change: (payload: Record<string, unknown>) => void) => {
  const [header, payload, signature] = token.split('.');
  const changed = decode(payload);
  change(changed);
  return [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
};

describe('signing', () => {
  it('makes a compact EdDSA JWS that carries references and dates only', async () => {
    const pass = await sign(request);
    expect(pass).toMatchObject({ passId: request.passId, colour: 'green', validFrom: request.validFrom, validUntil: request.validUntil });
    const [header, payload] = pass.token.split('.');
    expect(decode(header)).toEqual({ alg: 'EdDSA', typ: 'sanfan-pass+jws' });
    expect(decode(payload)).toEqual({ pid: request.passId, cid: 'sf-abc', col: 'green', nbf: 1771934400, exp: 1773144000, iat: 1771934400 });
  });

  it('is deterministic, so a retried activity returns the identical token', async () => {
    const first = await sign(request);
    expect(await sign(request)).toEqual(first);
    expect(await createPassSigner(privateKeyPem)(request)).toEqual(first);
  });

  it('rejects an empty or unreadable validity window without retrying', async () => {
    for (const bad of [{ validUntil: request.validFrom }, { validFrom: 'yesterday' }]) {
      const failure = await sign({ ...request, ...bad }).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    }
  });
});

describe('verification', () => {
  it('a freshly signed pass is valid', async () => {
    const { token } = await sign(request);
    expect(verifyPassToken(token, publicKeyPem, during)).toEqual({
      status: 'valid', passId: request.passId, caseId: 'sf-abc', colour: 'green', validUntil: request.validUntil,
    });
  });

  it('is valid from validFrom, and expired from validUntil on', async () => {
    const { token } = await sign(request);
    expect(verifyPassToken(token, publicKeyPem, new Date(request.validFrom)).status).toBe('valid');
    expect(verifyPassToken(token, publicKeyPem, new Date(Date.parse(request.validFrom) - 1)).status).toBe('not_yet_valid');
    expect(verifyPassToken(token, publicKeyPem, new Date(request.validUntil))).toMatchObject({ status: 'expired', caseId: 'sf-abc' });
  });

  it('a tampered payload is forged', async () => {
    const { token } = await sign(request);
    expect(verifyPassToken(withPayload(token, (p) => { p.cid = 'sf-someone-else'; }), publicKeyPem, during)).toEqual({ status: 'forged' });
    expect(verifyPassToken(withPayload(token, (p) => { p.exp = Number(p.exp) + 86_400 * 365; }), publicKeyPem, new Date('2026-06-01')).status).toBe('forged');
  });

  it('a tampered signature is forged', async () => {
    const { token } = await sign(request);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyPassToken(token.slice(0, -1) + last, publicKeyPem, during).status).toBe('forged');
    expect(verifyPassToken(`${token}=`, publicKeyPem, during).status).toBe('forged');
  });

  it('a pass signed with another key is forged', async () => {
    const { token } = await createPassSigner(newPrivateKeyPem())(request);
    expect(verifyPassToken(token, publicKeyPem, during)).toEqual({ status: 'forged' });
  });

  it('an unsigned ("alg": "none") token is forged', async () => {
    const [, payload] = (await sign(request)).token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'sanfan-pass+jws' })).toString('base64url');
    expect(verifyPassToken(`${none}.${payload}.`, publicKeyPem, during).status).toBe('forged');
  });

  it.each(['', 'garbage', 'a.b.c', '..', '....', '\u0000.\u0001.\u0002', '绿码.通行.证', 'x'.repeat(100_000)])(
    'garbage %# is forged, never an exception', (token) => {
      expect(verifyPassToken(token, publicKeyPem, during)).toEqual({ status: 'forged' });
    },
  );
});
