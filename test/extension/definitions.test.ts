// Definition files in a real VS Code, against the sandbox with its demo seed: diagnostics on open and on
// edit, quick fixes, the Toolkit environment, completion, hover, go to definition, references and the
// outline, and the requests all of that costs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testWorkspace } from './index';
import { until, useTreeHarness } from './tree-fixtures';

const TOOLKIT = (): string => path.join(testWorkspace(), 'toolkit');
const VERSION_FILE = (): vscode.Uri => vscode.Uri.file(path.join(TOOLKIT(), 'modules/ingest/workflows/v2.WorkflowVersion.yaml'));
const REPORT_FILE = (): vscode.Uri => vscode.Uri.file(path.join(TOOLKIT(), 'modules/ingest/workflows/report.WorkflowVersion.yaml'));
const API_FILE = (): vscode.Uri => vscode.Uri.file(path.join(testWorkspace(), 'api/site-batches.json'));
const TRIGGER_FILE = (): vscode.Uri => vscode.Uri.file(path.join(TOOLKIT(), 'modules/ingest/workflows/morning.WorkflowTrigger.yaml'));

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'CDF Workflows');
}

/** Waits until the document's diagnostics were computed for its current text, and returns ours. */
async function diagnosticsOf(doc: vscode.TextDocument, ok: (d: vscode.Diagnostic[]) => boolean = () => true): Promise<vscode.Diagnostic[]> {
  await until(() => ok(ours(doc.uri)), `diagnostics of ${path.basename(doc.uri.fsPath)}: ${JSON.stringify(ours(doc.uri).map((d) => d.message))}`);
  return ours(doc.uri);
}

function positionOf(doc: vscode.TextDocument, needle: string, inside = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" is not in ${doc.uri.fsPath}`);
  return doc.positionAt(offset + inside);
}

async function replace(doc: vscode.TextDocument, from: string, to: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const start = doc.getText().indexOf(from);
  assert.ok(start >= 0, `"${from}" is not in the document`);
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(start + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

/** The document with the text it has on disk (earlier tests edit it without saving). */
async function fresh(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const disk = fs.readFileSync(uri.fsPath, 'utf8');
  if (doc.getText() !== disk) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), disk);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }
  return doc;
}

async function completionLabels(doc: vscode.TextDocument, at: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

async function hoverText(doc: vscode.TextDocument, at: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n---\n');
}

describe('definition files', function () {
  this.timeout(60_000);
  const harness = useTreeHarness('Definitions', { seed: 'demo' });

  beforeEach(async () => {
    await harness().api.services.definitions.environments.select(TOOLKIT(), 'dev');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('checks definition files on open without a single request to CDF when what they refer to is in the workspace', async () => {
    const h = harness();
    h.sb.requests.reset();
    for (const uri of [VERSION_FILE(), TRIGGER_FILE(), API_FILE()]) await vscode.workspace.openTextDocument(uri);
    const version = await fresh(VERSION_FILE());
    const diagnostics = await diagnosticsOf(version, (d) => d.length > 0);
    // In the dev environment every template resolves; the one finding lists the input a run must pass.
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.message]), [[vscode.DiagnosticSeverity.Information, 'Task "contextualize-assets" reads "runDate" from the workflow input: every run and trigger must pass it.']]);
    await diagnosticsOf(await vscode.workspace.openTextDocument(API_FILE()), () => h.api.services.definitions.language.findings(API_FILE()) !== undefined);
    assert.deepEqual(ours(API_FILE()), []);
    // The trigger's version is looked up in the workspace index, built for it.
    await until(() => h.api.services.definitions.catalog.isIndexed, 'the workspace index');
    await until(() => h.api.services.definitions.language.findings(TRIGGER_FILE()) !== undefined, 'the trigger checked');
    assert.deepEqual(h.api.services.definitions.language.findings(TRIGGER_FILE()), []);
    // The tree may load its workflows meanwhile; the definitions would list functions, transformations, versions or executions.
    assert.equal(h.count(undefined, /\/(functions|transformations|workflows\/versions\/list|workflows\/executions)/), 0, JSON.stringify(h.sb.requests.list.map((r) => `${r.method} ${r.path}`)));
  });

  it('marks a typo in dependsOn where it is, says which task was meant, and fixes it with the quick fix', async () => {
    const doc = await fresh(VERSION_FILE());
    await vscode.window.showTextDocument(doc);
    await replace(doc, '        - externalId: load-site-config\n', '        - externalId: load-site-confg\n');
    const typo = (await diagnosticsOf(doc, (d) => d.some((x) => x.code === 'unknown-dependency'))).find((x) => x.code === 'unknown-dependency')!;
    assert.equal(typo.message, 'Task "contextualize-assets" depends on "load-site-confg", which is not a task of this definition. Did you mean "load-site-config"?');
    assert.equal(doc.getText(typo.range), 'load-site-confg');
    assert.equal(typo.code, 'unknown-dependency');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, typo.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change to "load-site-config"');
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(fix.isPreferred);
    await vscode.workspace.applyEdit(fix.edit);
    await diagnosticsOf(doc, (d) => d.every((x) => x.severity !== vscode.DiagnosticSeverity.Error));
    assert.match(doc.getText(), /- externalId: load-site-config\n/);
  });

  it('adds the missing dependsOn for a reference to a task that is not upstream', async () => {
    const doc = await fresh(VERSION_FILE());
    await replace(doc, '        - externalId: extract-sources\n        - externalId: load-site-config\n', '        - externalId: extract-sources\n');
    const missing = (await diagnosticsOf(doc, (d) => d.some((x) => x.code === 'not-upstream'))).find((x) => x.code === 'not-upstream')!;
    assert.equal(doc.getText(missing.range), '${load-site-config.output.response.items}');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, missing.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /Add "load-site-config" to the dependsOn of "contextualize-assets"/.test(a.title));
    assert.ok(fix?.edit);
    await vscode.workspace.applyEdit(fix.edit);
    await diagnosticsOf(doc, (d) => !d.some((x) => x.code === 'not-upstream' || x.severity === vscode.DiagnosticSeverity.Error));
    assert.match(doc.getText(), /- externalId: extract-sources\n {8}- externalId: load-site-config\n/);
  });

  it('puts a cycle on every task in it', async () => {
    const doc = await fresh(VERSION_FILE());
    await replace(doc, "      timeout: 1800\n", "      timeout: 1800\n      dependsOn:\n        - externalId: refresh-asset-hierarchy\n");
    const cycle = await diagnosticsOf(doc, (d) => d.filter((x) => x.code === 'cycle').length === 3);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const tasks = symbols[0].children;
    const onTasks = cycle.filter((x) => x.code === 'cycle').map((x) => tasks.find((t) => t.range.contains(x.range))?.name).sort();
    assert.deepEqual(onTasks, ['contextualize-assets', 'extract-sources', 'refresh-asset-hierarchy']);
    await vscode.commands.executeCommand('undo');
    await diagnosticsOf(doc, (d) => !d.some((x) => x.code === 'cycle'));
  });

  it('fills templates from the environment picked in the status bar command', async () => {
    const h = harness();
    const doc = await fresh(VERSION_FILE());
    h.ui.script({ pick: 'prod' });
    await vscode.commands.executeCommand('cdfWorkflows.selectToolkitEnvironment', doc.uri);
    h.ui.assertAllUsed();
    const warning = (await diagnosticsOf(doc, (d) => d.some((x) => x.code === 'template-unresolved'))).find((x) => x.code === 'template-unresolved')!;
    assert.equal(doc.getText(warning.range), '{{ hierarchy_transformation }}');
    assert.match(warning.message, /has no value for module modules\/ingest in config\.prod\.yaml/);
    h.ui.script({ pick: 'dev' });
    await vscode.commands.executeCommand('cdfWorkflows.selectToolkitEnvironment', doc.uri);
    await diagnosticsOf(doc, (d) => !d.some((x) => x.code === 'template-unresolved'));
  });

  it('warns about a subworkflow version found neither in the workspace nor in the connected project', async () => {
    const doc = await vscode.workspace.openTextDocument(REPORT_FILE());
    const warning = (await diagnosticsOf(doc, (d) => d.some((x) => x.code === 'subworkflow-not-found'))).find((x) => x.code === 'subworkflow-not-found')!;
    assert.equal(doc.getText(warning.range), 'ingest-archive');
    assert.match(warning.message, new RegExp(`ingest-archive@1 was not found in the workspace or in "${harness().connection}"`));
    assert.equal(ours(doc.uri).filter((d) => d.code === 'subworkflow-not-found').length, 1, 'daily-asset-sync@2 is in the workspace');
  });

  it('completes keys, enum values, dependsOn task ids and references inside ${', async () => {
    const doc = await fresh(VERSION_FILE());
    assert.deepEqual((await completionLabels(doc, positionOf(doc, 'type: cdf', 'type: '.length))).sort(), ['cdf', 'dynamic', 'function', 'functionApp', 'simulation', 'subworkflow', 'transformation']);
    await replace(doc, '      timeout: 900\n', '      timeout: 900\n      \n');
    const keys = await completionLabels(doc, positionOf(doc, '      timeout: 900\n      \n', '      timeout: 900\n      '.length));
    assert.ok(keys.includes('retries') && keys.includes('onFailure') && !keys.includes('timeout'), keys.join(', '));
    await vscode.commands.executeCommand('undo');
    const deps = await completionLabels(doc, positionOf(doc, '        - externalId: contextualize-assets', '        - externalId: '.length));
    assert.deepEqual(deps.sort(), ['contextualize-assets', 'extract-sources', 'load-site-config']);
    await replace(doc, 'runDate: ${workflow.input.runDate}', 'runDate: ${}');
    const refs = await completionLabels(doc, positionOf(doc, 'runDate: ${}', 'runDate: ${'.length));
    assert.deepEqual(refs.sort(), ['extract-sources', 'load-site-config', 'workflow.input']);
    await vscode.commands.executeCommand('undo');
  });

  it('completes function and transformation external ids from the Toolkit files and the project, one request per kind', async () => {
    const h = harness();
    h.sb.requests.reset();
    const doc = await fresh(VERSION_FILE());
    const fnAt = positionOf(doc, 'externalId: fn-contextualize-assets', 'externalId: '.length);
    const functions = await completionLabels(doc, fnAt);
    assert.ok(functions.includes('fn-contextualize-assets'), functions.join(', '));
    assert.ok(functions.includes('fn-plan-batches'), `the sandbox's functions: ${functions.join(', ')}`);
    const trAt = positionOf(doc, 'externalId: tr-extract-sap-assets', 'externalId: '.length);
    const transformations = await completionLabels(doc, trAt);
    assert.ok(transformations.includes('tr-extract-sap-assets') && transformations.includes('tr-asset-hierarchy'), transformations.join(', '));
    for (let i = 0; i < 5; i++) {
      await completionLabels(doc, fnAt);
      await completionLabels(doc, trAt);
    }
    assert.equal(h.count('GET', /\/functions$/), 1);
    assert.equal(h.count('GET', /\/transformations$/), 1);
  });

  it('hovers a key with its description and a reference with its task and the value of a recent execution', async () => {
    const doc = await fresh(VERSION_FILE());
    assert.match(await hoverText(doc, positionOf(doc, 'retries: 2', 2)), /Number of times to retry the task/);
    const task = await hoverText(doc, positionOf(doc, '${load-site-config.output.response.items}', 4));
    assert.match(task, /\*\*Task load\\-site\\-config\*\* · cdf · Load site configuration/);
    // The demo seed's executions of daily-asset-sync@2 were started with a runDate.
    const input = await hoverText(doc, positionOf(doc, '${workflow.input.runDate}', 4));
    assert.match(input, /In execution `[0-9a-f-]{36}` \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)[^]*"\d{4}-\d\d-\d\d"/);
    const template = await hoverText(doc, positionOf(doc, '{{ hierarchy_transformation }}', 4));
    assert.match(template, /`hierarchy_transformation` = `"tr-asset-hierarchy"`/);
  });

  it('goes to a dependsOn task, to the Toolkit function\'s handler, and finds the references of a task', async () => {
    const doc = await fresh(VERSION_FILE());
    const task = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, '- externalId: extract-sources\n        - externalId', 16));
    const link = task[0] as vscode.LocationLink;
    assert.equal(doc.getText(link.targetSelectionRange), 'extract-sources');
    assert.equal(link.targetSelectionRange?.start.line, 5);
    const fn = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 'fn-contextualize-assets', 3));
    const targets = fn.map((l) => ('uri' in l ? l.uri : l.targetUri).fsPath);
    assert.ok(targets.some((t) => t.endsWith(path.join('functions', 'fn-contextualize-assets', 'handler.py'))), targets.join(', '));
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, positionOf(doc, 'externalId: load-site-config', 13));
    assert.deepEqual(refs.map((r) => doc.getText(r.range)), ['load-site-config', 'load-site-config', 'load-site-config']);
  });

  it('outlines the tasks of a version file and of API JSON', async () => {
    const doc = await fresh(VERSION_FILE());
    const [version] = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.equal(version.name, 'daily-asset-sync@2');
    assert.deepEqual(version.children.map((c) => [c.name, c.detail]), [
      ['extract-sources', 'transformation · Extract SAP assets'],
      ['load-site-config', 'cdf · Load site configuration'],
      ['contextualize-assets', 'function · Contextualize assets'],
      ['refresh-asset-hierarchy', 'transformation · Refresh asset hierarchy'],
    ]);
    const json = await vscode.workspace.openTextDocument(API_FILE());
    const [api] = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', json.uri);
    assert.deepEqual(api.children.map((c) => c.name), ['plan-batches', 'process-batches']);
  });
});
