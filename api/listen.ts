// How the API's HTTP server listens: one place for `npm start`, `npm run api` and the bench.
import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * Node closes a keep-alive connection after 5 s idle by default. A client, or a reverse proxy
 * (nginx keeps upstream connections ~60 s), that reuses a connection just as the server closes it
 * gets ECONNRESET for a request the API never saw: the bench met two in a 50,000-case check-in
 * rush. The server keeps idle connections longer than its clients do, so it is never the side that
 * closes one as it is being reused.
 */
export const KEEP_ALIVE_MS = 65_000;

export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const started = (error?: Error) => (error ? reject(error) : resolve(server));
    const server = host === undefined ? app.listen(port, started) : app.listen(port, host, started);
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  });
}
