// Bearer tokens: they expire, the CLI's by default after a shift, and a refusal names its scheme.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticate, mintToken, verifyToken } from '../../api/auth';
import { problemHandler } from '../../api/problems';
import { loadSecrets } from '../../infra/secrets';
import { testSecrets } from '../support/keys';

const dataDir = mkdtempSync(join(tmpdir(), 'sanfan-tokens-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const app = express()
  .use('/api', authenticate(testSecrets.tokenSecret))
  .get('/api/me', (req, res) => { res.json(req.principal); })
  .use(problemHandler(pino({ level: 'silent' })));

/** `npm run token`'s script, on a data folder of its own. */
function mintWithCli(...args: string[]): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'api/mint-token.ts', ...args], {
    env: { ...process.env, SANFAN_DATA_DIR: dataDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.trim().split('\n').at(-1)!;
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp?: number };

describe('bearer tokens', () => {
  it('from the CLI are valid for 12 hours unless --ttl-hours says otherwise', () => {
    const shift = claimsOf(mintWithCli('--role', 'caseworker', '--village', 'dafenshanyan'));
    expect(shift.exp! - shift.iat).toBe(12 * 3600);
    const week = claimsOf(mintWithCli('--role', 'supervisor', '--ttl-hours', '168'));
    expect(week.exp! - week.iat).toBe(168 * 3600);
    const secret = loadSecrets(dataDir).tokenSecret;
    expect(verifyToken(secret, mintWithCli('--role', 'doctor'))).toMatchObject({ role: 'doctor' });
  });

  it('are refused once expired, with a 401 that names the Bearer scheme', async () => {
    const now = Date.now();
    const expired = mintToken(testSecrets.tokenSecret, { sub: 'cw-01', role: 'caseworker', villages: ['dafenshanyan'] }, 3600, now - 2 * 3600_000);
    expect(verifyToken(testSecrets.tokenSecret, expired, now)).toBeUndefined();
    const refused = await request(app).get('/api/me').set('Authorization', `Bearer ${expired}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="sanfan"');
    const anonymous = await request(app).get('/api/me');
    expect([anonymous.status, anonymous.headers['www-authenticate']]).toEqual([401, 'Bearer realm="sanfan"']);

    const valid = mintToken(testSecrets.tokenSecret, { sub: 'cw-01', role: 'caseworker', villages: ['dafenshanyan'] }, 3600, now);
    const ok = await request(app).get('/api/me').set('Authorization', `Bearer ${valid}`);
    expect([ok.status, ok.body.sub]).toEqual([200, 'cw-01']);
  });
});
