// A real HTTP endpoint on 127.0.0.1 for adapter tests: records each request and answers with
// whatever the test has scripted for the next one.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body: string;
}

export interface LocalServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers the following requests with this; the default is 200 `{"errcode":0,"errmsg":"ok"}`. */
  answerWith(answer: ScriptedAnswer): void;
  close(): Promise<void>;
}

export async function startLocalServer(path = '/'): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  let answer: ScriptedAnswer = { status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    answerWith(next) {
      answer = next;
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
