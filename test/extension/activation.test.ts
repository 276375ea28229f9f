// The extension in a real extension host: it activates from its view, registers exactly the commands its
// manifest declares, and the workspace the harness opens is there for later suites.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot, testWorkspace } from './index';
import { ScriptedUserInput } from './support/scriptedUi';
import { extensionApi } from './tree-fixtures';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('activation', () => {
  it('activates when the CDF Workflows view opens and returns its API', async () => {
    const extension = vscode.extensions.getExtension<unknown>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded in the extension host`);
    await vscode.commands.executeCommand('workbench.view.extension.cdfWorkflows');
    const api = extension.isActive ? extension.exports : await extension.activate();
    assert.ok(extension.isActive);
    // The API's members belong to src/extension.ts; here only that there is one for the suites to use.
    assert.equal(typeof api, 'object');
    assert.notEqual(api, null);
  });

  it('registers every command that package.json declares', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('declares every cdfWorkflows command it registers', async () => {
    const declared = new Set(manifest.contributes.commands.map((c) => c.command));
    // VS Code itself registers <viewId>.focus, <viewId>.resetViewLocation, ... for each contributed view.
    const viewIds = Object.values(manifest.contributes.views).flat().map((v) => `${v.id}.`);
    const undeclared = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('cdfWorkflows.') && !declared.has(c) && !viewIds.some((v) => c.startsWith(v)));
    assert.deepEqual(undeclared, []);
  });

  it('says which version is active with cdfWorkflows.about and offers Show Log', async () => {
    const api = await extensionApi();
    const ui = new ScriptedUserInput(api.classes, (p) => vscode.Uri.file(p)).script({ ask: 'Show Log', match: /^CDF Data Workflows / });
    const previous = api.setUserInput(ui);
    try {
      await vscode.commands.executeCommand('cdfWorkflows.about');
      const shown = await ui.waitForMessage(/^CDF Data Workflows /);
      assert.equal(shown.kind, 'info');
      assert.equal(shown.message, `CDF Data Workflows ${manifest.version} is active (VS Code ${vscode.version}).`);
      assert.deepEqual(shown.actions, ['Show Log']);
      ui.assertAllUsed();
    } finally {
      api.setUserInput(previous);
    }
  });

  it('shows its log without an error', async () => {
    await vscode.commands.executeCommand('cdfWorkflows.showLog');
  });

  it('opens the fixture workspace with its JSON run inputs', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    assert.equal(path.resolve(folder.uri.fsPath), path.resolve(testWorkspace()));
    const inputs = await vscode.workspace.findFiles('inputs/*.json');
    assert.deepEqual(inputs.map((u) => path.basename(u.fsPath)).sort(), ['backfill-input.json', 'daily-asset-sync.json', 'run-input.json']);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'inputs', 'run-input.json'));
    assert.equal(doc.languageId, 'json');
    assert.equal((JSON.parse(doc.getText()) as { assetExternalId: string }).assetExternalId, 'pump-station-01');
  });
});
