import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Setting { type: string; minimum?: number; maximum?: number; description?: string; markdownDescription?: string; scope?: string }
interface Manifest {
  name: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  contributes: {
    commands: { command: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, Setting> };
  };
}

const root = path.join(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('activates on its view, once start-up has finished (the status bar shows the connection), on definition files, never with *', () => {
    assert.ok(manifest.activationEvents.includes('onView:cdfWorkflows.explorer'));
    assert.ok(manifest.activationEvents.includes('onStartupFinished'));
    for (const event of manifest.activationEvents) {
      assert.match(event, /^(onStartupFinished$|onView:cdfWorkflows\.|onCommand:cdfWorkflows\.|workspaceContains:|onLanguage:(yaml|json|jsonc)$|onWebviewPanel:cdfWorkflows\.workflowView$)/, event);
    }
    const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:'));
    assert.deepEqual(contains, ['workspaceContains:**/*.{Workflow,WorkflowVersion,WorkflowTrigger}.{yaml,yml}']);
  });

  it('ships the workflow view with its own bundle, stylesheet and icon font, and nothing else of dist/webview', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.deepEqual(ignore.filter((l) => l.startsWith('!dist/webview/')).sort(), ['!dist/webview/codicon.woff2', '!dist/webview/workflowView.css', '!dist/webview/workflowView.js']);
  });

  it('hides commands that need a tree item from the palette, and shows state-dependent ones only in their state', () => {
    const palette = new Map(manifest.contributes.menus['commandPalette'].map(e => [e.command, e.when]));
    for (const id of ['cdfWorkflows.copyTaskExecutionId', 'cdfWorkflows.showFunctionLogs', 'cdfWorkflows.completeAsyncTask', 'cdfWorkflows.retryNode']) assert.equal(palette.get(id), 'false', id);
    assert.equal(palette.get('cdfWorkflows.clearExecutionFilter'), 'cdfWorkflows.executionFilterActive');
    assert.equal(palette.get('cdfWorkflows.showFollowedRun'), 'cdfWorkflows.followingRun');
  });

  it('gives every task item a context menu and every error item the fix for its kind of failure', () => {
    const items = manifest.contributes.menus['view/item/context'];
    const on = (token: string) => items.filter(e => e.when?.includes(`\\b${token}\\b`)).map(e => e.command);
    assert.ok(on('task').includes('cdfWorkflows.showExecutionDetails'));
    assert.ok(on('task').includes('cdfWorkflows.copyTaskExecutionId'));
    assert.ok(on('functionTask').includes('cdfWorkflows.showFunctionLogs'));
    assert.ok(on('fixSecret').includes('cdfWorkflows.changeSecret'));
    assert.ok(on('fixConnection').includes('cdfWorkflows.editConnection'));
    assert.ok(on('fixCapabilities').includes('cdfWorkflows.testConnection'));
    assert.ok(on('fixSignIn').includes('cdfWorkflows.signIn'));
    assert.ok(on('secret').includes('cdfWorkflows.changeSecret'));
  });

  it('gives every command the CDF Workflows category and an icon', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'CDF Workflows', c.command);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, `${c.command} has no codicon`);
    }
  });

  it('only references declared commands in menus', () => {
    const declared = new Set(manifest.contributes.commands.map(c => c.command));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) assert.ok(declared.has(e.command), `${menu} uses undeclared ${e.command}`);
    }
  });

  it('matches tree items with anchored tokens, never substrings', () => {
    for (const entries of Object.values(manifest.contributes.menus)) {
      for (const e of entries) {
        if (e.when?.includes('viewItem')) assert.match(e.when, /viewItem =~ \/\\b[A-Za-z]+\\b\//, e.when);
      }
    }
  });

  it('describes every setting and bounds every number', () => {
    for (const [key, s] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(s.description ?? s.markdownDescription, `${key} has no description`);
      if (s.type === 'number') assert.ok(s.minimum !== undefined && s.maximum !== undefined, `${key} is unbounded`);
    }
  });

  it('keeps connection settings out of workspace settings, so a workspace cannot redirect credentials', () => {
    const p = manifest.contributes.configuration.properties;
    assert.equal(p['cdfWorkflows.connections'].scope, 'application');
    assert.equal(p['cdfWorkflows.activeConnection'].scope, 'application');
  });

  it('targets a VS Code no newer than the test host (1.100) with matching types', () => {
    assert.equal(manifest.engines.vscode, '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
  });
});
