// The Express app: request IDs and redacted logs, bearer auth, the case and worklist routes,
// and problem+json errors. It holds no state: every answer comes from Temporal.
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Policy } from '../domain';
import { authenticate } from './auth';
import type { CaseClient } from './case-client';
import type { Health } from './health';
import { HttpProblem, problemHandler, sendProblem } from './problems';
import { docsRouter } from './docs';
import { openApiDocument } from './openapi';
import { casesRouter } from './routes/cases';
import { importsRouter, XLSX } from './routes/imports';
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

  app.use('/api', express.json({ limit: '256kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.use('/api', (req, _res, next) => {
    if (['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is(['application/json', 'application/*+json', 'multipart/form-data', 'text/csv', XLSX])) {
      return next(new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/json'));
    }
    next();
  });
  app.use('/api', authenticate(deps.tokenSecret));
  app.use('/api/cases', casesRouter(deps.cases, deps.policy));
  app.use('/api/imports', importsRouter(deps.cases, deps.policy));
  app.use('/api', worklistsRouter(deps.cases.temporal));
  app.use('/api/passes', passesRouter(deps.cases, deps.passPublicKeyPem));
  app.use('/api/policies', policiesRouter(deps.cases.temporal, deps.policy.version));
  app.use((_req, res) => sendProblem(res, new HttpProblem(404, 'Not Found', 'no such resource')));
  app.use(problemHandler(deps.logger));
  return app;
}
