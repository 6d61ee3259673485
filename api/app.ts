// The Express app: request IDs and redacted logs, bearer auth, the case and worklist routes,
// and problem+json errors. Every answer comes from Temporal; the only state is a few seconds' reuse
// of counts that are costly to take (costly-answers.ts).
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Policy } from '../domain';
import { authenticate } from './auth';
import type { CaseClient } from './case-client';
import type { Health } from './health';
import type { CostlyAnswerOptions } from './costly-answers';
import { HttpProblem, problemHandler, sendProblem } from './problems';
import { docsRouter } from './docs';
import { openApiDocument } from './openapi';
import { casesRouter } from './routes/cases';
import { importsRouter } from './routes/imports';
import { passesRouter } from './routes/passes';
import { policiesRouter } from './routes/policies';
import { worklistsRouter } from './routes/worklists';

export interface AppDeps {
  cases: CaseClient;
  policy: Policy;
  tokenSecret: Buffer;
  /** Verifies green passes offline (SPKI PEM of the signing key). */
  passPublicKeyPem: string;
  logger: Logger;
  health: () => Promise<Health>;
  /** How long a request to adopt a policy waits for its rollout before answering 202 (default 10 s). */
  adoptionWaitMs?: number;
  /** Which list totals and stats are reused, and how long (default: those that took 50 ms or more, 10 s). */
  countReuse?: Partial<CostlyAnswerOptions>;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Whether the request has body bytes: a Content-Length above 0 (type-is counts `0` as a body), or
 * chunked (counted before it is read, so an empty chunked body without a JSON type is still a 415).
 */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(pinoHttp({
    logger: deps.logger,
    genReqId: (req, res) => {
      const id = (typeof req.headers['x-request-id'] === 'string' && /^[\w.-]{1,64}$/.test(req.headers['x-request-id']))
        ? req.headers['x-request-id'] : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Bodies are never logged: they carry names, phones and ID numbers.
    serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
  }));

  app.get('/healthz', async (_req, res) => {
    const health = await deps.health();
    res.status(health.ok ? 200 : 503).json({ status: health.ok ? 'ok' : 'degraded', api: 'up', temporal: health.temporal });
  });

  const openApi = openApiDocument();
  app.get('/openapi.json', (_req, res) => { res.json(openApi); });
  app.use('/docs', docsRouter());

  // The caller first: an anonymous request is refused (401) before any of its body is read.
  app.use('/api', authenticate(deps.tokenSecret));
  // The import route reads its own bodies (CSV, XLSX, a form), after its role check, and refuses
  // other types itself; files go nowhere else. Every other route takes JSON only.
  app.use('/api/imports', importsRouter(deps.cases, deps.policy));
  app.use('/api', (req, _res, next) => {
    if (BODY_METHODS.has(req.method) && hasBody(req) && !req.is(JSON_TYPES)) {
      return next(new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/json'));
    }
    next();
  });
  app.use('/api', express.json({ limit: '256kb', strict: true, type: JSON_TYPES }));
  // No body is no media-type problem: it reads as {}, so an optional body may be left out and a
  // required one is refused field by field (400).
  app.use('/api', (req, _res, next) => {
    if (BODY_METHODS.has(req.method) && req.body === undefined) req.body = {};
    next();
  });
  app.use('/api/cases', casesRouter(deps.cases, deps.policy));
  app.use('/api', worklistsRouter(deps.cases.temporal, { countReuse: deps.countReuse }));
  app.use('/api/passes', passesRouter(deps.cases, deps.passPublicKeyPem));
  app.use('/api/policies', policiesRouter(deps.cases, deps.policy.version, { waitMs: deps.adoptionWaitMs }));
  app.use((_req, res) => sendProblem(res, new HttpProblem(404, 'Not Found', 'no such resource')));
  app.use(problemHandler(deps.logger));
  return app;
}
