// A small JSON-over-HTTP client with keep-alive: node:http with a pooled agent costs the load
// generator less CPU than fetch, and the load generator shares the machine with what it measures.
import { Agent, request } from 'node:http';

export interface JsonResponse<T> { status: number; body: T }

export class HttpError extends Error {
  constructor(readonly status: number, detail: string) {
    super(`HTTP ${status}: ${detail}`);
  }
}

export class JsonClient {
  private readonly agent: Agent;

  constructor(private readonly baseUrl: string, private readonly headers: Record<string, string>, maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  get<T>(path: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.send<T>('GET', path, undefined, headers);
  }

  post<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.send<T>('POST', path, JSON.stringify(body), headers);
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(method: string, path: string, payload?: string, extra: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers, ...extra, Accept: 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const req = request(new URL(path, this.baseUrl), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new HttpError(status, text.slice(0, 300)));
          try {
            resolve({ status, body: JSON.parse(text) as T });
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}
