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
  it('activates on its view, a command, definition files or their languages, never on every start-up', () => {
    assert.ok(manifest.activationEvents.includes('onView:cdfWorkflows.explorer'));
    for (const event of manifest.activationEvents) {
      assert.match(event, /^(onView:cdfWorkflows\.|onCommand:cdfWorkflows\.|workspaceContains:|onLanguage:(yaml|json|jsonc)$)/, event);
    }
    const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:'));
    assert.deepEqual(contains, ['workspaceContains:**/*.{Workflow,WorkflowVersion,WorkflowTrigger}.{yaml,yml}']);
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
