// Deactivation (a window closing, the extension disabled): the embedded sandbox and every python3 it
// started are gone afterwards. Processes are found by the sandbox's pid and its process group, never by
// name. This suite ends the extension, so the runner puts it after every other suite.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import * as vscode from 'vscode';
import { SANDBOX_SECRET_KEY } from '../../src/vscode/connections/sandboxHost';
import { ScriptedUserInput } from './support/scriptedUi';
import { assertNoSecrets, EXTENSION_ID, extensionApi, until } from './tree-fixtures';
import { alive } from '../support/processes';

interface ProcessInfo {
  pid: number;
  comm: string;
  state: string;
}

/** Every live (not zombie) process whose process group is `pgid`, from /proc. */
function groupMembers(pgid: number): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, , pgrp] = stat.slice(close + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') found.push({ pid: Number(entry), comm, state });
  }
  return found;
}

const SLEEPER = 'import time\n\n\ndef handle(data):\n    time.sleep(300)\n    return {"slept": True}\n';

describe('deactivate', function () {
  this.timeout(120_000);

  it('stops the embedded sandbox and every python3 it started: nothing of its process group is left', async function () {
    if (process.platform !== 'linux') this.skip(); // processes are read from /proc
    const api = await extensionApi();
    const ui = new ScriptedUserInput(api.classes, (p) => vscode.Uri.file(p));
    api.setUserInput(ui);
    await vscode.commands.executeCommand('cdfWorkflows.trySandbox');
    await ui.waitForMessage(/local sandbox runs at/);
    const name = vscode.workspace.getConfiguration('cdfWorkflows').get<{ name: string; sandbox?: boolean; baseUrl?: string }[]>('connections', [])
      .find((c) => c.sandbox && !c.baseUrl)?.name;
    assert.ok(name, 'the embedded sandbox connection');
    const secret = await api.services.context.secrets.get(SANDBOX_SECRET_KEY);
    assert.ok(secret);

    // A function whose call keeps python3 busy for minutes.
    const { client } = await api.services.connections.client(name);
    const file = await client.files.create({ name: 'sleeper.zip', externalId: 'deactivate-sleeper.zip', mimeType: 'application/zip' }, { overwrite: true });
    await client.files.upload(file.uploadUrl, zipSync({ 'handler.py': strToU8(SLEEPER) }), { mimeType: 'application/zip' });
    await client.files.waitUntilUploaded(file.id);
    const [existing] = await client.functions.retrieveMany([{ externalId: 'deactivate-sleeper' }]);
    if (existing) await client.functions.delete([{ id: existing.id }]);
    const fn = await client.functions.create({ name: 'deactivate-sleeper', externalId: 'deactivate-sleeper', fileId: file.id, functionPath: 'handler.py' });
    assert.equal((await client.functions.waitUntilDeployed(fn.id, { pollIntervalMs: 200, maxPollIntervalMs: 500, timeoutMs: 30_000 })).status, 'Ready');
    await client.functions.call(fn.id, { data: {} });

    const pgid = api.services.sandbox.processId;
    assert.ok(pgid !== undefined && pgid !== process.pid, 'the sandbox runs in a child process');
    await until(() => groupMembers(pgid).some((p) => /^python/.test(p.comm)), 'a python3 process in the sandbox process group');
    const started = groupMembers(pgid);
    assert.ok(started.some((p) => p.pid === pgid), `the sandbox leads its group: ${JSON.stringify(started)}`);
    assertNoSecrets(api, [secret]);

    // What VS Code does when the window closes or the extension is disabled: deactivate(), then dispose
    // what the extension registered in its context.
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const mod = createRequire(__filename)(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate?: () => unknown };
    await mod.deactivate?.();
    for (const d of [...api.services.context.subscriptions]) d.dispose();

    await until(() => started.every((p) => !alive(p.pid)) && groupMembers(pgid).length === 0, 'every process of the sandbox group to end', 15_000);
  });
});
