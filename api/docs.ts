// GET /docs: Swagger UI (served from the swagger-ui-dist package) over GET /openapi.json.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>sanfan API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

// A separate file rather than inline script, so a strict Content-Security-Policy can stay on.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });`;

export function docsRouter(): Router {
  const router = Router();
  router.use('/assets', express.static(assets, { index: false }));
  router.get('/init.js', (_req, res) => { res.type('application/javascript').send(INIT); });
  router.get('/', (_req, res) => { res.type('html').send(PAGE); });
  return router;
}
