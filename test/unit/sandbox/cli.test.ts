import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from '../../../src/sandbox/main';
import { alive } from '../../support/processes';

const MAIN = path.resolve(__dirname, '../../../src/sandbox/main.js');

function firstLine(p: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    p.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
}

describe('sandbox command line', function () {
  this.timeout(20_000);
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.pid) child.kill('SIGKILL');
    child = undefined;
  });

  it('parses every flag and refuses unknown ones with a hint', () => {
    const o = parseArgs(['--port', '0', '--project', 'demo-project', '--client-id', 'me', '--client-secret', 's3cret', '--seed', 'empty', '--data-dir', '/tmp/x', '--token-lifetime=60', '--quiet']);
    assert.deepEqual(o, {
      port: 0,
      project: 'demo-project',
      clients: [{ clientId: 'me', clientSecret: 's3cret' }],
      seed: 'empty',
      dataDir: '/tmp/x',
      tokenLifetimeSeconds: 60,
      quiet: true,
    });
    assert.deepEqual(parseArgs([]), { port: 8787, seed: 'demo', quiet: false });
    assert.throws(() => parseArgs(['--colour']), /Unknown option --colour\. Run with --help/);
    assert.throws(() => parseArgs(['--seed', 'full']), /--seed must be demo or empty/);
    assert.throws(() => parseArgs(['--port']), /--port needs a value/);
    assert.deepEqual(parseArgs(['--client-id', 'me', '--client-secret-stdin', '--exit-with-stdin']), {
      port: 8787,
      seed: 'demo',
      quiet: false,
      clientSecretStdin: true,
      exitWithStdin: true,
      clients: [{ clientId: 'me', clientSecret: 'sandbox-secret' }],
    });
    assert.throws(() => parseArgs(['--client-secret', 'x', '--client-secret-stdin']), /not both/);
  });

  it('reads its client secret from stdin (never from its command line) and stops when stdin closes', async () => {
    const secret = `stdin-${Math.random().toString(36).slice(2)}`;
    child = spawn(process.execPath, [MAIN, '--port', '0', '--seed', 'empty', '--client-id', 'piped', '--client-secret-stdin', '--exit-with-stdin', '--quiet'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin!.write(`${secret}\n`);
    const info = JSON.parse(await firstLine(child)) as { tokenUrl: string; clientId: string };
    assert.equal(info.clientId, 'piped');
    if (process.platform === 'linux') {
      const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      assert.ok(!argv.includes(secret), 'the secret is not on the command line');
      assert.ok(!fs.readFileSync(`/proc/${child.pid}/environ`, 'utf8').includes(secret), 'nor in its environment');
    }
    const token = (body: Record<string, string>) =>
      fetch(info.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'piped', ...body }) });
    assert.equal((await token({ client_secret: secret })).status, 200);
    assert.equal((await token({ client_secret: 'sandbox-secret' })).status, 401, 'the public default is not accepted');
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.stdin!.end();
    assert.equal(await exited, 0);
    assert.match(stderr, /stdin closed, stopping/);
    assert.ok(!stderr.includes(secret));
  });

  it('stops by itself when the process that started it dies', async function () {
    if (process.platform === 'win32') this.skip();
    // A parent that starts the sandbox with a pipe on its stdin, prints the sandbox pid, then is killed.
    const parentCode = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, [${JSON.stringify(MAIN)}, '--port', '0', '--seed', 'empty', '--client-secret-stdin', '--exit-with-stdin', '--quiet'], { stdio: ['pipe', 'pipe', 'ignore'] });
      c.stdin.write('parent-secret\\n');
      c.stdout.once('data', () => console.log(c.pid));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentCode], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = parent;
    const pid = Number(await firstLine(parent));
    assert.ok(alive(pid), 'the sandbox runs');
    parent.kill('SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!alive(pid), 'the sandbox stopped with its parent');
  });

  it('prints one JSON line once it accepts requests, logs requests to stderr, and exits cleanly on SIGTERM', async () => {
    child = spawn(process.execPath, [MAIN, '--port', '0', '--seed', 'empty', '--client-id', 'cli-client', '--client-secret', 'cli-secret'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child!.once('exit', (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
    });
    const info = JSON.parse(line) as { baseUrl: string; project: string; tokenUrl: string; clientId: string };
    assert.equal(info.project, 'sandbox');
    assert.equal(info.clientId, 'cli-client');
    assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const token = await fetch(info.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cli-client', client_secret: 'cli-secret' }),
    });
    assert.equal(token.status, 200);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(stderr, /POST \/oauth2\/token -> 200/);
    assert.ok(!stderr.includes('cli-secret'), 'the secret is never logged');
  });

  it('exits with a message when the port is taken', async () => {
    const first = spawn(process.execPath, [MAIN, '--port', '0', '--seed', 'empty', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = first;
    const line = await new Promise<string>((resolve) => first.stdout.once('data', (c: Buffer) => resolve(c.toString())));
    const port = new URL((JSON.parse(line) as { baseUrl: string }).baseUrl).port;
    const second = spawn(process.execPath, [MAIN, '--port', port, '--seed', 'empty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    second.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /Port \d+ is in use/);
    first.kill('SIGTERM');
    await new Promise((resolve) => first.once('exit', resolve));
  });
});
