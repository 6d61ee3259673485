// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and the
// same action table that mounts the routes: there is no second, hand-written copy to drift.
import { z } from 'zod';
import { POLICIES } from '../domain/policy';
import { AdoptPolicySchema, IntakeSchema } from '../domain/schemas';
import { CASE_ACTIONS } from './case-actions';
import { XLSX } from './routes/imports';
import { PassVerifySchema } from './routes/passes';
import { WORKLISTS } from './worklists';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const errors = {
  400: { ...problem, description: 'Invalid input: `errors` lists each bad field' },
  401: { ...problem, description: 'No or invalid bearer token' },
  403: { ...problem, description: 'The role may not do this' },
  404: { ...problem, description: 'Unknown case, or one outside the caller’s villages' },
  503: { ...problem, description: 'Temporal unreachable; nothing was changed' },
};
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: jsonSchema(schema) } } });
const caseIdParam = { name: 'caseId', in: 'path', required: true, schema: { type: 'string', pattern: '^sf-[a-z2-7]{20}$' } };
const versionParam = { name: 'version', in: 'path', required: true, schema: { type: 'string', enum: Object.keys(POLICIES) } };

/** A count of this moment instead of one reused for a few seconds. */
const countNowHeader = { name: 'Cache-Control', in: 'header', description: '`no-cache` counts afresh', schema: { type: 'string' } };

export function openApiDocument() {
  const actionPaths = Object.fromEntries(CASE_ACTIONS.map((action) => [`/api/cases/{caseId}/${action.path}`, {
    post: {
      summary: action.summary,
      tags: ['case actions'],
      description: `Roles: ${action.roles.join(', ')}. Send \`Idempotency-Key\` to make a retried request count once.`,
      parameters: [caseIdParam, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 100 } }],
      requestBody: body(action.schema),
      responses: { [action.path === 'check-ins' ? 201 : 200]: json('The answer of the case'), ...errors, 409: { ...problem, description: 'The case’s state does not allow this action' } },
    },
  }]));

  return {
    openapi: '3.1.0',
    info: { title: 'sanfan — returnee (三返) case API', version: '0.1.0', description: 'Register returnees, record check-ins, and run supervisors’ worklists. All state lives in Temporal.' },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } },
        Intake: jsonSchema(IntakeSchema),
        WorklistPage: {
          type: 'object', required: ['name', 'title', 'pageSize', 'total', 'totalAsOf', 'items', 'nextCursor', 'next'],
          properties: {
            name: { type: 'string' }, title: { type: 'string' }, pageSize: { type: 'integer' },
            total: { type: 'integer', description: 'Cases on the whole list, as of `totalAsOf`' },
            totalAsOf: { type: 'string', format: 'date-time', description: 'When `total` was counted: a count that is costly to take (every open case of the zone) is reused for a few seconds' },
            items: { type: 'array', items: { type: 'object' } },
            nextCursor: { type: ['string', 'null'], description: 'Send as `cursor` for the next page; null on the last page' },
            next: { type: ['string', 'null'], description: 'The next page’s URL; null on the last page' },
          },
        },
      },
    },
    paths: {
      '/healthz': { get: { summary: 'API up, and whether Temporal is reachable', security: [], responses: { 200: json('Healthy'), 503: json('Temporal unreachable') } } },
      '/api/cases': {
        post: {
          summary: 'Register a returnee (登记备案); the same person again answers with the existing case', tags: ['cases'],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Intake' } } } },
          responses: { 201: json('Created'), 200: json('The person’s existing case'), ...errors },
        },
      },
      '/api/cases/{caseId}': { get: { summary: 'The case view: status, day N of M, slots, escalation, pass', tags: ['cases'], parameters: [caseIdParam, { name: 'run', in: 'query', schema: { type: 'string' } }], responses: { 200: json('The case'), ...errors } } },
      '/api/cases/{caseId}/runs': { get: { summary: 'The person’s cases under this ID, the closed earlier ones too (read them with ?run=)', tags: ['cases'], parameters: [caseIdParam], responses: { 200: json('Runs'), ...errors } } },
      '/api/cases/{caseId}/timeline': { get: { summary: 'Audit timeline: who did what, when', tags: ['cases'], parameters: [caseIdParam], responses: { 200: json('Entries'), ...errors } } },
      ...actionPaths,
      '/api/cases/{caseId}/policy': { post: { summary: `Adopt another policy version (${Object.keys(POLICIES).join(', ')})`, tags: ['case actions'], parameters: [caseIdParam], requestBody: body(AdoptPolicySchema), responses: { 200: json('The case'), ...errors } } },
      '/api/worklists/{name}': {
        get: {
          summary: 'A supervisor’s list, from Temporal visibility', tags: ['worklists'],
          description: 'Newest first, paged by cursor: each JSON page carries `nextCursor` and `next` (also a `Link: rel="next"` header), '
            + 'null on the last page; send `cursor` to read the next one. A cursor marks where the previous page ended, so cases '
            + 'registered or leaving the list between requests neither repeat nor hide others. `total` counts the whole list, as of `totalAsOf`: '
            + 'a count that is costly to take is reused for a few seconds (`API_COUNT_REUSE_SECONDS`), unless the request says `Cache-Control: no-cache`. '
            + 'As CSV (`format=csv` or `Accept: text/csv`) the answer streams the whole list, from `cursor` if given; `pageSize` applies to JSON pages.',
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: Object.keys(WORKLISTS) } },
            { name: 'village', in: 'query', schema: { type: 'string' } },
            { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page, unchanged (opaque); absent for the first page', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 2048 } },
            { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
            { name: 'page', in: 'query', deprecated: true, description: 'Offset paging is gone: only `page=1` (the first page, without `cursor`) is accepted; use `cursor`', schema: { type: 'integer', enum: [1] } },
            { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
            countNowHeader,
          ],
          responses: { 200: { description: 'A page of cases (JSON), or the whole list (CSV)', content: { 'application/json': { schema: { $ref: '#/components/schemas/WorklistPage' } }, 'text/csv': { schema: { type: 'string' } } } }, ...errors },
        },
      },
      '/api/stats': {
        get: {
          summary: 'Counts by village and status, as of `at`', tags: ['worklists'], parameters: [{ name: 'village', in: 'query', schema: { type: 'string' } }, countNowHeader],
          description: 'Seven counts a village, reused for a few seconds when they were costly to take, as list totals are.',
          responses: { 200: json('Counts'), ...errors },
        },
      },
      '/api/imports': {
        post: {
          summary: 'Import the daily scan list (扫码名单): CSV (UTF-8, Chinese or English headers) or XLSX; per-row results', tags: ['cases'],
          description: 'Rows answer created / existing / rejected (with field errors) / failed. Send `Accept: application/x-ndjson` to stream progress.',
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } }, [XLSX]: { schema: { type: 'string', format: 'binary' } }, 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } },
          responses: { 200: { description: 'Per-row results and totals', content: { 'application/json': { schema: { type: 'object' } }, 'application/x-ndjson': { schema: { type: 'string' } } } }, ...errors, 413: problem, 415: problem },
        },
      },
      '/api/policies': { get: { summary: 'Policy versions and the one new cases follow', tags: ['policies'], responses: { 200: json('Versions'), ...errors } } },
      '/api/policies/{version}/adoptions': {
        post: {
          summary: 'Tell every open case (optionally of one village) to adopt this policy version; the change is stamped on each. A rollout of the same version and scope under way is joined, not repeated',
          tags: ['policies'],
          parameters: [versionParam],
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { village: { type: 'string' } } } } } },
          responses: {
            200: json('The rollout, done: counts adopted, refused, failed (Location: its progress)'),
            202: json('The rollout, still under way after ~10 s: its progress so far (Location: follow it there)'),
            ...errors,
          },
        },
      },
      '/api/policies/{version}/adoptions/{rolloutId}': {
        get: {
          summary: 'A policy rollout’s progress: pass, counts, state (running / done)', tags: ['policies'],
          parameters: [versionParam, { name: 'rolloutId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json('The rollout'), ...errors },
        },
      },
      '/api/passes/verify': { post: { summary: 'Verify a green pass token (checkpoint)', tags: ['passes'], requestBody: body(PassVerifySchema), responses: { 200: json('valid / expired / not_yet_valid / revoked / forged'), ...errors } } },
    },
  };
}
