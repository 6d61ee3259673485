// The API's server keeps idle keep-alive connections longer than Node's default 5 s, so a client
// that comes back after a pause reuses its connection instead of racing the server's close.
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import express from 'express';
import { afterAll, expect, it } from 'vitest';
import { KEEP_ALIVE_MS, listen } from '../../api/listen';

const app = express().get('/ping', (_req, res) => { res.json({ ok: true }); });
const serverReady = listen(app, 0, '127.0.0.1');
afterAll(async () => {
  const server = await serverReady;
  await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections(); });
});

/** One GET through the agent; resolves with the socket that carried it. */
function get(port: number, agent: Agent): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/ping', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(req.socket as Socket));
    });
    req.on('error', reject);
    req.end();
  });
}

it('keeps a keep-alive connection open across a pause longer than Node’s default 5 s', async () => {
  const server = await serverReady;
  expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_MS);
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(port, agent);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const second = await get(port, agent);
    expect(second).toBe(first);
  } finally {
    agent.destroy();
  }
}, 20_000);
