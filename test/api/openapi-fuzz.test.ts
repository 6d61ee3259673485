// A schema-driven fuzz of the API: every operation of the OpenAPI document receives bodies
// generated from its own request schema — mostly well-typed, sometimes subtly wrong, sometimes
// any JSON at all — and must never answer 5xx.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../api/openapi';
import { startApiHarness } from '../support/api-harness';
import { makeIntake } from '../support/intake';

type Schema = {
  type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema;
  enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; minimum?: number; maximum?: number;
  maxLength?: number; $ref?: string;
};

/** Values that fit the schema, with a one-in-six chance at every level of arbitrary JSON instead. */
function fromSchema(schema: Schema, resolve: (ref: string) => Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromSchema(resolve(schema.$ref), resolve, depth);
  const fitting = ((): fc.Arbitrary<unknown> => {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => fromSchema(v, resolve, depth + 1)));
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object': {
        const props = Object.entries(schema.properties ?? {});
        if (depth > 4 || props.length === 0) return fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }));
        return fc.record(Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, resolve, depth + 1)])),
          { requiredKeys: (schema.required ?? []).filter((k) => schema.properties?.[k]) });
      }
      case 'array': return fc.array(fromSchema(schema.items ?? {}, resolve, depth + 1), { maxLength: 4 });
      case 'string': return fc.string({ maxLength: Math.min(schema.maxLength ?? 40, 60), unit: 'binary' });
      case 'integer': return fc.integer({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6 });
      case 'number': return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      case 'boolean': return fc.boolean();
      default: return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return fc.oneof({ arbitrary: fitting, weight: 5 }, { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 });
}

let h: Awaited<ReturnType<typeof startApiHarness>>;
let supervisor: string;
let caseId: string;

beforeAll(async () => {
  h = await startApiHarness();
  supervisor = h.token({ sub: 'sup-fuzz', role: 'supervisor', villages: [] });
  caseId = (await request(h.app).post('/api/cases').set('Authorization', supervisor).send(makeIntake())).body.case.caseId;
});
afterAll(async () => h?.stop());

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};
const resolve = (ref: string) => doc.components.schemas[ref.replace('#/components/schemas/', '')];
const jsonOperations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
  .filter(([method, op]) => method === 'post' && op.requestBody?.content['application/json'])
  // Adoption acts on every open case of the shared test server; its input is one optional village,
  // which test/api/hostile-input.test.ts covers.
  .filter(([method]) => !(path.endsWith('/adoptions') && method === 'post'))
  .map(([, op]) => [path, op.requestBody!.content['application/json'].schema] as const));

describe('OpenAPI-driven fuzz', () => {
  it('covers every JSON operation of the document', () => {
    expect(jsonOperations.map(([path]) => path)).toEqual(expect.arrayContaining(['/api/cases', '/api/cases/{caseId}/check-ins', '/api/passes/verify']));
  });

  it.each(jsonOperations)('POST %s never answers 5xx', async (path, schema) => {
    const url = path.replace('{caseId}', caseId).replace('{version}', '2026.2');
    await fc.assert(fc.asyncProperty(fromSchema(schema, resolve), async (body) => {
      const res = await request(h.app).post(url).set('Authorization', supervisor).set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status, `${res.status} for ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
    }), { numRuns: 25 });
  }, 120_000);
});
