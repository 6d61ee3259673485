// The update ID that an Idempotency-Key becomes (routes/cases.ts; the bench's raw path does the same).
import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted (and undefined members left out), so equal bodies read alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The update's name and a digest of the caller, the key and the validated body. A retry of the
 * same request is the same update, which Temporal answers from the first without recording it
 * again. The same key with another action or another body is another update, and is recorded too:
 * answering 422 instead would need a record of each key's first request, which Temporal keeps
 * nowhere we could look up by key, and recording both loses nothing (before, such a request was
 * answered with the first one's result and dropped). The ID carries no personal data (a digest
 * only, never the key or body text) and is short whatever the caller's ID: the update's name, ':'
 * and 32 characters, far under Temporal's limit.maxIDLength (1,000 by default; 255 on some SQL
 * clusters), which a long subject and key used to exceed.
 */
export function idempotentUpdateId(updateName: string, subject: string, key: string, body: unknown): string {
  const digest = createHash('sha256').update(canonicalJson([subject, key, body])).digest('base64url').slice(0, 32);
  return `${updateName}:${digest}`;
}
