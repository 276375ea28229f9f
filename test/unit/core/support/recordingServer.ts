// A plain loopback HTTP server that records the headers it receives and answers with a scripted body:
// stands in for "another origin" (a pre-signed upload URL) and for a server that breaks the schema.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RecordingServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Status and JSON body of the next answers (the last one repeats). */
  answer(status: number, body: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let next = { status: 200, body: {} as unknown, headers: {} as Record<string, string> };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(next.status, { 'content-type': 'application/json', 'x-request-id': `rec-${requests.length}`, ...next.headers });
      res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    answer(status, body, headers = {}) {
      next = { status, body, headers };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
