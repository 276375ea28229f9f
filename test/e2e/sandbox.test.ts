// "Try the Local Sandbox" in the browser workbench: the sandbox starts as a process of its own with the
// demo seed, the connection holds neither URL nor secret, a real browser page cannot use the sandbox
// (DNS rebinding, a cross-site form) while its own device page works, and closing VS Code stops it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { type Browser, chromium } from 'playwright-core';
import type * as TestHostModule from '../host/code-server.js';
import { REPO_ROOT, TestCodeServer, Workbench } from './workbench';
import { alive } from '../support/processes';

const host = createRequire(__filename)(path.join(REPO_ROOT, 'test', 'host', 'code-server.js')) as typeof TestHostModule;

describe('the embedded sandbox in the browser workbench', function () {
  this.timeout(240_000);
  let server: TestCodeServer | undefined;
  let wb: Workbench | undefined;
  let browser: Browser | undefined;
  after(async function () {
    this.timeout(60_000);
    await browser?.close();
    await wb?.close();
    await server?.stop();
  });

  it('starts from the welcome view, refuses what web pages send, and stops when VS Code closes', async () => {
    server = await TestCodeServer.start();
    wb = await Workbench.open(server);
    await wb.openViewContainer('CDF Workflows');
    await wb.viewPane('Workflows').locator('.welcome-view-content').getByText('Try the Local Sandbox').click();
    const message = await wb.notification(/The local sandbox runs at/, 60_000);
    const port = Number(/http:\/\/127\.0\.0\.1:(\d+)/.exec(message)?.[1]);
    assert.ok(port > 0, message);
    await wb.treeItem(/daily-asset-sync/).waitFor({ timeout: 60_000 });
    await wb.screenshot('sandbox-try-local');

    const settings = parse(fs.readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    const connection = (settings['cdfWorkflows.connections'] as { sandbox?: boolean; baseUrl?: string; auth: Record<string, unknown> }[]).find((c) => c.sandbox);
    assert.ok(connection, 'the sandbox connection is in the user settings');
    assert.equal(connection.baseUrl, undefined, 'no URL: the port is picked when the sandbox starts');
    assert.deepEqual(Object.keys(connection.auth).sort(), ['clientId', 'type'], 'no secret, no token URL');
    const storage = path.join(server.userDataDir, 'User', 'globalStorage', 'cdf-tools.cdf-workflows', 'sandbox');
    const owner = JSON.parse(fs.readFileSync(path.join(storage, 'owner.json'), 'utf8')) as { pid: number; info: { baseUrl: string } };
    assert.equal(owner.info.baseUrl, `http://127.0.0.1:${port}`);
    assert.ok(alive(owner.pid), 'the sandbox runs in its own process');

    // A page whose name resolves to 127.0.0.1 (DNS rebinding), and a page of another site posting a form.
    browser = await chromium.launch({ executablePath: host.chromiumExecutable(), args: [...host.CHROMIUM_ARGS, '--host-resolver-rules=MAP rebound.example 127.0.0.1'] });
    const page = await browser.newPage();
    const rebound = await page.goto(`http://rebound.example:${port}/oauth2/device`);
    assert.equal(rebound?.status(), 403);
    assert.match((await page.textContent('body')) ?? '', /answers only requests for 127\.0\.0\.1:\d+, localhost:\d+ or \[::1\]:\d+/);
    await page.route('http://attacker.example/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<form id="f" method="post" action="http://127.0.0.1:${port}/oauth2/token"><input name="grant_type" value="client_credentials"><input name="client_id" value="vscode-sandbox"><input name="client_secret" value="a-guess"></form>`,
      }),
    );
    await page.goto('http://attacker.example/');
    const [posted] = await Promise.all([page.waitForNavigation(), page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit())]);
    assert.equal(posted?.status(), 403);
    assert.match((await page.textContent('body')) ?? '', /refuses requests from web pages other than its own/);

    // Its own device sign-in page keeps working at localhost: the browser posts with the page's origin.
    const started = (await (
      await fetch(`http://127.0.0.1:${port}/oauth2/devicecode`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'client_id=e2e&scope=openid' })
    ).json()) as { user_code: string };
    await page.goto(`http://localhost:${port}/oauth2/device?user_code=${encodeURIComponent(started.user_code)}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Approve' }).click()]);
    assert.match((await page.textContent('h1')) ?? '', /Signed in/);

    // Closing VS Code (its server and extension host end) stops the sandbox with it.
    await wb.close();
    wb = undefined;
    await server.stop();
    server = undefined;
    for (let i = 0; i < 200 && alive(owner.pid); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!alive(owner.pid), 'the sandbox process ended with VS Code');
  });
});
