// The codec server as the Temporal Web UI and CLI call it: proto3-JSON payloads over HTTP, from
// the UI's origin (CORS preflight first), optionally behind a bearer token.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../infra/codec';
import { createCodecServer } from '../../infra/codec-server';
import { fromPayload, fromProtoJson, keyRing, PERSON, toPayload, toProtoJson, type ProtoJsonPayload } from '../support/payloads';

const keys = keyRing('k1');
const codec = new EncryptionCodec(keys);
const UI = 'http://127.0.0.1:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const post = (app: ReturnType<typeof createCodecServer>, path: string, body: unknown) =>
  request(app).post(path).set('Origin', UI).set('X-Namespace', 'default').send(body as object);

describe('codec server', () => {
  const app = createCodecServer({ codec });

  it('round-trips payloads through /encode and /decode in the UI’s JSON shape', async () => {
    const plain = toProtoJson(toPayload(PERSON));
    const encoded = await post(app, '/encode', { payloads: [plain] });
    expect(encoded.status).toBe(200);
    expect(encoded.type).toBe('application/json');
    const [sealed] = encoded.body.payloads;
    expect(sealed.metadata).toEqual({ encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k1') });
    expect(Buffer.from(sealed.data, 'base64').includes(Buffer.from(PERSON.name))).toBe(false);

    const decoded = await post(app, '/decode', encoded.body);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [plain] });
  });

  it('decodes what the worker stored, and serves under a namespace prefix', async () => {
    const [stored] = await codec.encode([toPayload(PERSON)]);
    const res = await post(app, '/default/decode', { payloads: [toProtoJson(stored), toProtoJson(toPayload('already plain'))] });
    expect(res.status).toBe(200);
    const [person, plain] = res.body.payloads.map((p: ProtoJsonPayload) => fromPayload(fromProtoJson(p)));
    expect(person).toEqual(PERSON);
    expect(plain).toBe('already plain');
    expect((await post(app, '/decode', { payloads: [] })).body).toEqual({ payloads: [] });
  });

  it('answers 400, without echoing the payload, for bad JSON, a wrong shape and payloads the codec refuses', async () => {
    const [stored] = await codec.encode([toPayload(PERSON)]);
    const foreign = await new EncryptionCodec(keyRing('k9')).encode([toPayload(PERSON)]);
    const tampered = { ...toProtoJson(stored), data: b64('not the ciphertext at all, just some bytes') };
    const bad = [
      // A JSON parser's message quotes the start of the body: it must not come back.
      post(app, '/decode', `${PERSON.name} {"payloads": [`).type('application/json'),
      post(app, '/decode', { payload: [] }),
      post(app, '/decode', { payloads: [{ data: 'not base64!' }] }),
      post(app, '/decode', { payloads: [tampered] }),
      post(app, '/decode', { payloads: foreign.map(toProtoJson) }),
    ];
    for (const res of await Promise.all(bad)) {
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
      expect(res.text).not.toContain(PERSON.name);
    }
    expect((await request(app).get('/decode')).status).toBe(404);
  });

  it('lets the UI’s origin call it: preflight with X-Namespace and Authorization, then the POST', async () => {
    const preflight = await request(app).options('/decode').set('Origin', UI)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace,authorization');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    const allowed = preflight.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-namespace', 'authorization']));
    const res = await post(app, '/decode', { payloads: [] });
    expect(res.headers['access-control-allow-origin']).toBe(UI);
  });

  it('names only the configured origin', async () => {
    const elsewhere = createCodecServer({ codec, corsOrigin: 'https://temporal-ui.example.org' });
    const res = await request(elsewhere).post('/decode').set('Origin', 'http://evil.example').send({ payloads: [] });
    expect(res.headers['access-control-allow-origin']).toBe('https://temporal-ui.example.org');
  });

  describe('with an auth token', () => {
    const guarded = createCodecServer({ codec, authToken: 's3cret-token' });
    const body = { payloads: [toProtoJson(toPayload(PERSON))] };

    it('refuses requests without the right bearer token (401, still with CORS so the UI can tell)', async () => {
      for (const authorization of [undefined, 'Bearer wrong-token', 's3cret-token', 'Bearer s3cret-token2']) {
        const req = post(guarded, '/encode', body);
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        expect(res.status).toBe(401);
        expect(res.headers['access-control-allow-origin']).toBe(UI);
        expect(res.body.payloads).toBeUndefined();
      }
    });

    it('accepts the token, and lets the preflight through without it (browsers send none)', async () => {
      const preflight = await request(guarded).options('/encode').set('Origin', UI).set('Access-Control-Request-Method', 'POST');
      expect(preflight.status).toBe(204);
      const res = await post(guarded, '/encode', body).set('Authorization', 'Bearer s3cret-token');
      expect(res.status).toBe(200);
      expect(res.body.payloads).toHaveLength(1);
    });
  });
});
