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
    languageModelTools: {
      name: string;
      displayName?: string;
      modelDescription?: string;
      userDescription?: string;
      toolReferenceName?: string;
      canBeReferencedInPrompt?: boolean;
      tags?: string[];
      icon?: string;
      inputSchema?: { type?: string; properties?: Record<string, { description?: string }> };
    }[];
  };
}

const root = path.join(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('activates on its view, a command, definition files or their languages, never on every start-up', () => {
    // Commands and language-model tools need no entry: VS Code (1.74+, and 1.100 for languageModelTools)
    // derives onCommand:<id> and onLanguageModelTool:<name> from the contributions.
    assert.ok(manifest.activationEvents.includes('onView:cdfWorkflows.explorer'));
    for (const event of manifest.activationEvents) {
      assert.match(event, /^(onView:cdfWorkflows\.|onCommand:cdfWorkflows\.|workspaceContains:|onLanguage:(yaml|json|jsonc)$)/, event);
    }
    const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:'));
    assert.deepEqual(contains, ['workspaceContains:**/*.{Workflow,WorkflowVersion,WorkflowTrigger}.{yaml,yml}']);
  });

  it('contributes language-model tools that VS Code 1.100 accepts and chat users can #-reference', () => {
    const tools = manifest.contributes.languageModelTools;
    assert.ok(tools.length > 0);
    const refs = new Set<string>();
    for (const t of tools) {
      // The rules VS Code checks when it reads the contribution (LanguageModelToolsExtensionPointHandler).
      assert.match(t.name, /^cdfWorkflows_[A-Za-z]+$/, t.name);
      assert.ok(t.displayName && t.modelDescription && t.userDescription, `${t.name} needs displayName, modelDescription and userDescription`);
      assert.ok(t.canBeReferencedInPrompt === true && /^[\w-]+$/.test(t.toolReferenceName ?? ''), `${t.name} needs a toolReferenceName`);
      assert.ok(!refs.has(t.toolReferenceName ?? ''), `${t.toolReferenceName} twice`);
      refs.add(t.toolReferenceName ?? '');
      const tags = t.tags ?? [];
      assert.ok(tags.includes('cdf-workflows') && tags.every(tag => !/^(copilot_|vscode_)/.test(tag)), `${t.name} tags`);
      assert.ok(tags.includes('read-only') !== tags.includes('changes-cdf'), `${t.name} says whether it changes CDF`);
      assert.match(t.icon ?? '', /^\$\([a-z-]+\)$/, `${t.name} has no codicon`);
      assert.equal(t.inputSchema?.type, 'object', t.name);
      for (const [key, p] of Object.entries(t.inputSchema?.properties ?? {})) assert.ok(p.description, `${t.name}.${key} has no description`);
      assert.ok((t.modelDescription ?? '').length >= 200, `${t.name}: say what it does, returns and when to use it`);
    }
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
