// The keys sanfan needs, from the environment or — for development only — from a file
// generated once under the data directory (git-ignored). Never committed.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  /** Payload encryption keys by ID; the first is used to encrypt, all decrypt (rotation). */
  encryptionKeys: { id: string; key: Buffer }[];
  /** Key of the HMAC that turns an ID-card number into a case's workflow ID. */
  caseIdKey: Buffer;
  /** Ed25519 private key (PKCS#8 PEM) that signs green passes. */
  passPrivateKeyPem: string;
  /** HMAC secret for development bearer tokens. */
  tokenSecret: Buffer;
}

type StoredSecrets = Record<'encryptionKeys' | 'caseIdKey' | 'passPrivateKeyPem' | 'tokenSecret', string>;

/** "id:base64key,id2:base64key2" → key list; each key must be 32 bytes (AES-256). */
export function parseEncryptionKeys(spec: string): Secrets['encryptionKeys'] {
  return spec.split(',').map((entry) => {
    const [id, b64] = entry.trim().split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) throw new Error('SANFAN_ENCRYPTION_KEYS must be "keyId:base64(32 bytes)[,…]"');
    return { id, key };
  });
}

export function generateSecrets(): StoredSecrets {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
    caseIdKey: randomBytes(32).toString('base64'),
    passPrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    tokenSecret: randomBytes(32).toString('base64'),
  };
}

function devSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  mkdirSync(dataDir, { recursive: true });
  const fresh = generateSecrets();
  writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  return fresh;
}

export function toSecrets(stored: StoredSecrets): Secrets {
  return {
    encryptionKeys: parseEncryptionKeys(stored.encryptionKeys),
    caseIdKey: Buffer.from(stored.caseIdKey, 'base64'),
    passPrivateKeyPem: stored.passPrivateKeyPem,
    tokenSecret: Buffer.from(stored.tokenSecret, 'base64'),
  };
}

/** Environment first; anything unset comes from (or is generated into) `<dataDir>/secrets.json`. */
export function loadSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): Secrets {
  const fromEnv = {
    encryptionKeys: env.SANFAN_ENCRYPTION_KEYS,
    caseIdKey: env.SANFAN_CASE_ID_KEY,
    passPrivateKeyPem: env.SANFAN_PASS_PRIVATE_KEY?.replace(/\\n/g, '\n'),
    tokenSecret: env.SANFAN_TOKEN_SECRET,
  };
  const complete = Object.values(fromEnv).every(Boolean);
  const fallback = complete ? undefined : devSecrets(dataDir);
  return toSecrets({
    encryptionKeys: fromEnv.encryptionKeys ?? fallback!.encryptionKeys,
    caseIdKey: fromEnv.caseIdKey ?? fallback!.caseIdKey,
    passPrivateKeyPem: fromEnv.passPrivateKeyPem ?? fallback!.passPrivateKeyPem,
    tokenSecret: fromEnv.tokenSecret ?? fallback!.tokenSecret,
  });
}
