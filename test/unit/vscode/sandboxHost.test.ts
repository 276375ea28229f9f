// The embedded sandbox as a child process (SandboxHost on plain Node: it uses VS Code only through the
// SecretStorage and log it is given): the per-install secret, the port, windows sharing one sandbox, and
// stopping every process it started.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMBEDDED_SANDBOX_CLIENT_ID, SANDBOX_SECRET_KEY, SandboxHost } from '../../../src/vscode/connections/sandboxHost';
import { alive } from '../../support/processes';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

class MemorySecrets {
  readonly values = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

class Log {
  readonly lines: string[] = [];
  info = (m: string): void => void this.lines.push(m);
  warn = (m: string): void => void this.lines.push(m);
  error = (m: string): void => void this.lines.push(m);
  debug = (m: string): void => void this.lines.push(m);
  trace = (m: string): void => void this.lines.push(m);
}

async function tokenStatus(tokenUrl: string, clientId: string, clientSecret: string): Promise<number> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  return res.status;
}

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('embedded sandbox host (child process)', function () {
  this.timeout(60_000);
  let dir: string;
  const hosts: SandboxHost[] = [];
  const host = (secrets = new MemorySecrets(), log = new Log()): { host: SandboxHost; secrets: MemorySecrets; log: Log } => {
    const h = new SandboxHost({ extensionPath: REPO_ROOT, dataDir: dir, log, secrets });
    hosts.push(h);
    return { host: h, secrets, log };
  };

  before(function () {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'sandbox', 'main.js'))) throw new Error('dist/sandbox/main.js is missing: run npm run build first.');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-host-'));
  });
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs with a random secret made once and kept in SecretStorage, never on its command line or in the log', async () => {
    const { host: h, secrets, log } = host();
    const running = await h.start();
    const secret = secrets.values.get(SANDBOX_SECRET_KEY);
    assert.ok(secret && secret.length >= 40, 'a long random secret');
    assert.equal(running.clientId, EMBEDDED_SANDBOX_CLIENT_ID);
    assert.match(running.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(running.baseUrl).port, '8787');
    assert.equal(await h.clientSecret(), secret);
    assert.equal(await tokenStatus(running.tokenUrl, running.clientId, secret), 200);
    assert.equal(await tokenStatus(running.tokenUrl, 'sandbox-client', 'sandbox-secret'), 401, 'the public default client does not exist');
    const pid = h.processId!;
    assert.ok(pid > 0 && pid !== process.pid, 'a child process of its own');
    if (process.platform === 'linux') {
      assert.ok(!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(secret), 'not on the command line');
      assert.ok(!fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(secret), 'not in its environment');
      assert.equal(Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]), pid, 'it leads its own process group');
    }
    assert.ok(log.lines.some((l) => l.includes(running.baseUrl)), 'where it listens is logged');
    assert.ok(!log.lines.join('\n').includes(secret), 'the secret is not logged');

    // The same secret next time (a restart of VS Code).
    await h.stop();
    assert.ok(!alive(pid), 'stopped');
    const again = host(secrets);
    const second = await again.host.start();
    assert.equal(secrets.values.get(SANDBOX_SECRET_KEY), secret);
    assert.equal(await tokenStatus(second.tokenUrl, second.clientId, secret), 200);
  });

  it('reuses its port while it is free, and picks another when it is taken', async () => {
    const { host: h, secrets } = host();
    const first = await h.start();
    const port = Number(new URL(first.baseUrl).port);
    await h.stop();
    const second = await h.start();
    assert.equal(second.baseUrl, first.baseUrl, 'the same port after a restart');
    await h.stop();
    const squatter = await listen(port);
    try {
      const third = await host(secrets).host.start();
      assert.notEqual(third.baseUrl, first.baseUrl, 'another port while that one is taken');
      assert.equal(await tokenStatus(third.tokenUrl, third.clientId, secrets.values.get(SANDBOX_SECRET_KEY)!), 200);
    } finally {
      squatter.close();
    }
  });

  it('shares one sandbox between windows: the second uses the first one, and takes over when it stops', async () => {
    const secrets = new MemorySecrets();
    const a = host(secrets).host;
    const b = host(secrets).host;
    const [ra, rb] = await Promise.all([a.start(), b.start()]);
    assert.equal(rb.baseUrl, ra.baseUrl, 'one sandbox for both');
    const owners = [a.processId, b.processId].filter((p) => p !== undefined);
    assert.equal(owners.length, 1, 'exactly one of them started a process');
    const [owner, other] = a.processId !== undefined ? [a, b] : [b, a];
    await owner.stop();
    const taken = await other.start();
    assert.ok(other.processId !== undefined && alive(other.processId), 'the other window started its own');
    assert.equal(taken.baseUrl, ra.baseUrl, 'on the same port, which is free again');
  });

  it('starts from a fresh demo when the secret is new: state made with another secret is not kept', async () => {
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'data', 'state.json'), '{"left over by an earlier version": true}');
    fs.writeFileSync(path.join(dir, 'state.json'), '{}');
    const { host: h } = host();
    const running = await h.start();
    assert.ok(!fs.existsSync(path.join(dir, 'state.json')), 'the old layout is gone');
    const token = await (
      await fetch(running.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: running.clientId, client_secret: await h.clientSecret() }),
      })
    ).json() as { access_token: string };
    const res = await fetch(`${running.baseUrl}/api/v1/projects/${running.project}/workflows`, { headers: { authorization: `Bearer ${token.access_token}` } });
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { items: unknown[] }).items.length > 0, 'the demo seed');
  });

  it('stops its process group on dispose, without waiting', async () => {
    const { host: h } = host();
    await h.start();
    const pid = h.processId!;
    h.dispose();
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!alive(pid), 'the sandbox process is gone');
    await assert.rejects(h.start(), /shutting down/);
  });

  it('says why when the sandbox cannot start', async () => {
    const h = new SandboxHost({ extensionPath: dir, dataDir: path.join(dir, 'state'), log: new Log(), secrets: new MemorySecrets() });
    hosts.push(h);
    await assert.rejects(h.start(), /The local sandbox stopped before it was ready \(exit 1\): .*Cannot find module/s);
  });
});
