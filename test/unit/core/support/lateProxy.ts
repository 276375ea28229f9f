// A loopback reverse proxy in front of the sandbox that can hold a matching request past the client's
// timeout and forward it afterwards, whether or not the client is still there: a gateway that gave up
// while CDF went on to process the request. Everything else passes straight through.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface LateProxy {
  readonly origin: string;
  /** The next `count` requests whose path matches are held `holdMs`, then processed. */
  holdNext(match: RegExp, count: number, holdMs: number): void;
  /** Requests held and then forwarded so far. */
  readonly forwardedLate: number;
  /** Resolves when no held request is still waiting to be forwarded. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLateProxy(target: string): Promise<LateProxy> {
  const rules: { match: RegExp; remaining: number; holdMs: number }[] = [];
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let forwardedLate = 0;

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
    return fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: body.length > 0 ? new Uint8Array(body) : undefined });
  };

  const server: Server = createServer((req, res) => {
    const work = (async () => {
      const body = await readBody(req);
      const rule = rules.find((r) => r.remaining > 0 && r.match.test(req.url ?? ''));
      if (rule) {
        rule.remaining--;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, rule.holdMs);
          timers.add(timer);
        });
        forwardedLate++;
      }
      const answer = await forward(req, body);
      const text = Buffer.from(await answer.arrayBuffer());
      if (res.destroyed || res.writableEnded) return;
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection') headers[key] = value;
      });
      res.writeHead(answer.status, headers);
      res.end(text);
    })().catch(() => {
      if (!res.destroyed) res.destroy();
    });
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    holdNext(match, count, holdMs) {
      rules.push({ match, remaining: count, holdMs });
    },
    get forwardedLate() {
      return forwardedLate;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
