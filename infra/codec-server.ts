// A codec server: the payload codec behind Temporal's remote codec protocol, so that the Web UI
// (and `temporal --codec-endpoint`) can show decrypted payloads to someone who holds the keys,
// while the Temporal server itself only ever stores ciphertext.
//
// Protocol: POST …/encode and POST …/decode (only the last path segment counts, so the endpoint
// may be mounted under a prefix such as /default), body and answer
// `{ "payloads": [{ "metadata": { key: base64 }, "data": base64 }] }` — Payload as proto3 JSON.
// Bad JSON and payloads the codec refuses answer 400. The UI calls from its own origin with
// `Content-Type`, `X-Namespace` and, if configured, `Authorization`: hence CORS with a preflight.
import { timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The Web UI's origin, the only one a browser may call from. */
  corsOrigin?: string;
  /** When set, every request must carry `Authorization: Bearer <authToken>`. */
  authToken?: string;
}

export const DEFAULT_UI_ORIGIN = 'http://127.0.0.1:8233';

// Proto3 JSON writes bytes as base64, standard or URL-safe.
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, { message: 'must be base64' });
const PayloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() })),
});
type JsonPayload = z.infer<typeof PayloadsBody>['payloads'][number];

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: data ? Buffer.from(data, 'base64') : undefined,
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    ...(data ? { data: Buffer.from(data).toString('base64') } : {}),
  };
}

class BadRequest extends Error {}

function cors(origin: string): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    // The UI's "include cross-origin credentials" setting sends cookies; allowed for this one origin.
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization, Authorization-Extras');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

function bearer(token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res, next) => {
    const given = Buffer.from(req.get('Authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).setHeader('WWW-Authenticate', 'Bearer').json({ error: 'a valid bearer token is required' });
  };
}

function codecRoute(run: (payloads: Payload[]) => Promise<Payload[]>): RequestHandler {
  return async (req, res) => {
    const body = PayloadsBody.safeParse(req.body);
    if (!body.success) throw new BadRequest('the body must be {"payloads": [{"metadata": {…base64}, "data": base64}]}');
    // Whatever the codec refuses (unknown key, failed authentication tag) is the caller's bad payload.
    const payloads = await run(body.data.payloads.map(fromJson)).catch(() => {
      throw new BadRequest('the payloads could not be processed by the codec');
    });
    res.json({ payloads: payloads.map(toJson) });
  };
}

// Errors never echo payloads or codec messages back (a JSON parser's message quotes the body):
// only what was wrong with the request.
const errors: ErrorRequestHandler = (error, _req, res, _next) => {
  if (error instanceof BadRequest) return void res.status(400).json({ error: error.message });
  const { status, type } = error as { status?: number; type?: string };
  if (type === 'entity.too.large') return void res.status(413).json({ error: 'the body is too large' });
  if (status && status >= 400 && status < 500) return void res.status(400).json({ error: 'the body is not valid JSON' });
  res.status(500).json({ error: 'internal error' });
};

export function createCodecServer({ codec, corsOrigin = DEFAULT_UI_ORIGIN, authToken }: CodecServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors(corsOrigin));
  if (authToken) app.use(bearer(authToken));
  // A workflow's history can carry many payloads of up to 2 MB each.
  // JSON only: a cross-site "simple" POST (text/plain, no preflight) is not even read.
  app.use(express.json({ limit: '16mb', type: 'application/json' }));
  app.post(/\/encode$/, codecRoute((payloads) => codec.encode(payloads)));
  app.post(/\/decode$/, codecRoute((payloads) => codec.decode(payloads)));
  app.use((_req, res) => {
    res.status(404).json({ error: 'POST …/encode or …/decode' });
  });
  app.use(errors);
  return app;
}
