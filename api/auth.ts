// Bearer tokens: HMAC-signed claims (subject, role, villages, expiry) minted from configuration
// by `npm run token`. To use a real identity provider, replace verifyToken with a JWT check
// against its JWKS that yields the same Principal; nothing else changes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Actor, Role } from '../domain';
import { HttpProblem } from './problems';

export type StaffRole = Exclude<Role, 'system'>;
export const STAFF_ROLES: readonly StaffRole[] = ['caseworker', 'doctor', 'supervisor', 'checkpoint'];

export interface Principal {
  sub: string;
  role: StaffRole;
  /** Villages a caseworker may see; other roles see the whole zone. */
  villages: string[];
}

interface Claims extends Principal { iat: number; exp?: number }

const PREFIX = 'sft1';
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const sign = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest();

export function mintToken(secret: Buffer, principal: Principal, ttlSeconds?: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const claims: Claims = { ...principal, iat, ...(ttlSeconds ? { exp: iat + ttlSeconds } : {}) };
  const body = b64(JSON.stringify(claims));
  return `${PREFIX}.${body}.${b64(sign(secret, body))}`;
}

export function verifyToken(secret: Buffer, token: string, now = Date.now()): Principal | undefined {
  const [prefix, body, mac] = token.split('.');
  if (prefix !== PREFIX || !body || !mac) return undefined;
  const expected = sign(secret, body);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Claims;
    if (claims.exp !== undefined && claims.exp * 1000 < now) return undefined;
    if (!STAFF_ROLES.includes(claims.role)) return undefined;
    return { sub: claims.sub, role: claims.role, villages: claims.villages ?? [] };
  } catch {
    return undefined;
  }
}

declare module 'express-serve-static-core' {
  interface Request { principal?: Principal }
}

export function authenticate(secret: Buffer): RequestHandler {
  return (req, res, next) => {
    const refuse = (detail: string) => {
      res.set('WWW-Authenticate', 'Bearer realm="sanfan"'); // RFC 9110: a 401 names its scheme
      next(new HttpProblem(401, 'Unauthorized', detail));
    };
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return refuse('send a bearer token: Authorization: Bearer <token>');
    const principal = verifyToken(secret, match[1]);
    if (!principal) return refuse('the token is invalid or expired');
    req.principal = principal;
    next();
  };
}

export function allow(...roles: StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal || !roles.includes(req.principal.role)) {
      return next(new HttpProblem(403, 'Forbidden', `this action needs the role ${roles.join(' or ')}`));
    }
    next();
  };
}

/** A caseworker sees only their villages; doctors and supervisors see the zone. */
export function seesVillage(principal: Principal, village: string): boolean {
  return principal.role !== 'caseworker' || principal.villages.includes(village);
}

/** The caller as a case sees them; a caseworker carries their villages, which the case checks. */
export function actorOf(principal: Principal): Actor {
  return { role: principal.role, id: principal.sub, ...(principal.role === 'caseworker' ? { villages: principal.villages } : {}) };
}
