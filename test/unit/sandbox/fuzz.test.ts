import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ManualClock } from '../../../src/sandbox';
import { Harness } from './harness';

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

const PATHS = [
  ['POST', '/workflows'],
  ['POST', '/workflows/versions'],
  ['POST', '/workflows/versions/list'],
  ['POST', '/workflows/executions/list'],
  ['POST', '/workflows/wf/versions/1/run'],
  ['POST', '/workflows/executions/3f2b8c1e-7d4a-4e0b-9c55-0a1d2e3f4b5c/cancel'],
  ['POST', '/workflows/tasks/x/update'],
  ['POST', '/workflows/triggers'],
  ['POST', '/workflows/delete'],
  ['POST', '/sessions'],
  ['POST', '/sessions/byids'],
  ['POST', '/functions'],
  ['POST', '/functions/schedules'],
  ['POST', '/functions/1/call'],
  ['POST', '/files'],
  ['POST', '/files/byids'],
  ['GET', '/workflows?limit=abc&cursor=%%%'],
  ['GET', '/sessions?status=weird'],
] as const;

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor((r() - 0.5) * 2 ** (r() * 60));
    case 3:
      return 'x'.repeat(Math.floor(r() * 300));
    case 4:
      return ['${workflow.input}', '\u0000', ' lead', 'ünïcödé', '', '__x', 'workflow'][Math.floor(r() * 7)];
    case 5:
      return r() * 1e6;
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const keys = ['items', 'externalId', 'tasks', 'type', 'parameters', 'filter', 'limit', 'cursor', 'nonce', 'authentication', 'input', 'workflowDefinition', 'status', 'data', 'name', 'fileId', 'dependsOn', 'function', 'triggerRule'];
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 5); i > 0; i--) o[keys[Math.floor(r() * keys.length)]] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function rawHttp(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (c) => (text += c.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
    socket.end(payload);
  });
}

describe('sandbox robustness', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => {
    h = await Harness.start({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
    await h.upsertWorkflow('wf');
    await h.upsertVersion('wf', '1', [{ externalId: 't', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } }]);
  });
  after(async () => {
    await h?.close();
  });

  it('answers 400 (never 5xx, never a hang) to 400 random and malformed bodies, each with a CDF error body', async () => {
    const r = rng(1234);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const [method, path] = PATHS[i % PATHS.length];
      const mode = r();
      let raw: string | undefined;
      if (method === 'POST') {
        if (mode < 0.15) raw = JSON.stringify(randomValue(r)).slice(0, Math.floor(r() * 50));
        else if (mode < 0.2) raw = '\u0000\u0001garbage';
        else raw = JSON.stringify({ items: [randomValue(r)], filter: randomValue(r), limit: randomValue(r) });
      }
      const res = await h.call(method, path, undefined, { ...(raw !== undefined ? { raw, headers: { 'content-type': 'application/json' } } : {}), noSpec: true });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      assert.ok(res.status < 500, `${method} ${path} with ${raw} -> ${res.status} ${res.text}`);
      if (res.status >= 400) {
        const body = JSON.parse(res.text) as { error: { code: number; message: string } };
        assert.equal(body.error.code, res.status);
        assert.ok(body.error.message.length > 0);
      }
    }
    assert.ok((statuses.get(400) ?? 0) > 200, `mostly validation errors: ${JSON.stringify([...statuses])}`);
  });

  it('survives malformed HTTP: bad request lines, bad headers, lying content-length, odd encodings', async () => {
    const port = Number(new URL(h.sandbox.baseUrl).port);
    const token = await h.fetchToken();
    const payloads = [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n',
      `POST /api/v1/projects/sandbox/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 100\r\n\r\n{"items":[`,
      `POST /api/v1/projects/sandbox/workflows HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Encoding: compress\r\nContent-Length: 2\r\n\r\n{}`,
      `POST /api/v1/projects/sandbox/workflows HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n`,
      `GET /api/v1/projects/sandbox/workflows/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (const p of payloads) await rawHttp(port, p);
    // Random header values on real requests.
    const r = rng(99);
    for (let i = 0; i < 100; i++) {
      const value = Array.from({ length: Math.floor(r() * 40) }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('');
      const headers: Record<string, string> = { authorization: i % 3 === 0 ? value : `Bearer ${value}`, 'content-type': value, 'content-encoding': i % 5 === 0 ? value : 'identity' };
      const res = await fetch(`${h.api}/workflows`, { method: 'POST', headers, body: '{}' }).catch(() => undefined);
      if (res) assert.ok(res.status < 500, `header fuzz ${JSON.stringify(headers)} -> ${res.status}`);
    }
    // Still healthy afterwards.
    assert.equal((await h.call('GET', '/workflows')).status, 200);
  });
});
