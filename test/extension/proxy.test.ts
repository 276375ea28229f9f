// VS Code's proxy support reaches the extension's requests: with `http.proxy` set, the token request and
// the CDF calls of Test Connection go through the proxy. The proxy is a loopback forwarder in front of the
// sandbox; the connection names the sandbox as 127.0.0.2 because VS Code never proxies 127.0.0.1 or
// localhost. Without the proxy those requests would go to 127.0.0.2, where nothing listens.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import * as vscode from 'vscode';
import type { CdfWorkflowsApi } from '../../src/extension';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { UserInput } from '../../src/vscode/ui';
import { ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, extensionApi } from './tree-fixtures';

interface ForwardProxy {
  readonly url: string;
  /** `METHOD host:port/path` of every request it forwarded. */
  readonly seen: string[];
  close(): Promise<void>;
}

/** An HTTP forward proxy for plain-http targets that sends everything to `targetPort` on 127.0.0.1. */
async function startForwardProxy(targetPort: number): Promise<ForwardProxy> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    seen.push(`${req.method} ${target.host}${target.pathname}`);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: `127.0.0.1:${targetPort}` };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // A CONNECT (an https target) is refused: only what this suite sends, plain http, is forwarded.
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("VS Code's proxy support", function () {
  this.timeout(60_000);
  let api: CdfWorkflowsApi;
  let sb: Sandbox;
  let proxy: ForwardProxy;
  let ui: ScriptedUserInput;
  let previous: UserInput;
  const httpConfig = () => vscode.workspace.getConfiguration('http');

  before(async () => {
    api = await extensionApi();
    sb = await startSandbox({ seed: 'demo', clients: [{ clientId: 'proxied-client', clientSecret: 'proxied-secret-9d2e' }] });
    proxy = await startForwardProxy(Number(new URL(sb.baseUrl).port));
    await httpConfig().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await httpConfig().update('proxySupport', 'override', vscode.ConfigurationTarget.Global);
    ui = new ScriptedUserInput(api.classes, (p) => vscode.Uri.file(p));
    previous = api.setUserInput(ui);
  });

  after(async () => {
    api?.setUserInput(previous);
    await api?.services.connections.remove('Behind a proxy');
    await httpConfig().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await httpConfig().update('proxySupport', undefined, vscode.ConfigurationTarget.Global);
    assertNoSecrets(api, ['proxied-secret-9d2e']);
    await proxy?.close();
    await sb?.close();
  });

  it('sends the token request and the CDF calls of Test Connection through http.proxy', async () => {
    const port = new URL(sb.baseUrl).port;
    const proxied = `http://127.0.0.2:${port}`;
    await api.services.connections.save(
      { name: 'Behind a proxy', baseUrl: proxied, project: sb.project, auth: { type: 'clientCredentials', tokenUrl: `${proxied}/oauth2/token`, clientId: 'proxied-client' } },
      { clientSecret: 'proxied-secret-9d2e' },
    );
    await vscode.commands.executeCommand('cdfWorkflows.testConnection', 'Behind a proxy');
    const m = await ui.waitForMessage(/Connected to project|proxy|connect|reach/i);
    assert.match(m.message, /Connected to project/, `${m.kind}: ${m.message}; the proxy saw: ${proxy.seen.join(', ') || 'nothing'}`);
    assert.ok(proxy.seen.includes(`POST 127.0.0.2:${port}/oauth2/token`), `the proxy saw: ${proxy.seen.join(', ')}`);
    assert.ok(
      proxy.seen.some((s) => s.startsWith(`GET 127.0.0.2:${port}/api/v1/`) || s.startsWith(`POST 127.0.0.2:${port}/api/v1/`)),
      `a CDF call went through the proxy; it saw: ${proxy.seen.join(', ')}`,
    );
  });
});
