// Extension-host benchmark of definition files: opening a Toolkit project of 50 definition files (each
// checked, the workspace index built) costs no request and at most 200 ms of extension-host work. Run:
// npm run bench:extension. Prints its figures against their budgets and fails when one is over.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { testWorkspace } from '../index';
import { until, useTreeHarness } from '../tree-fixtures';

const MODULES = 10;

function report(name: string, value: number, unit: string, budget: number): boolean {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  console.log(`  bench: ${name}: ${shown} ${unit} (budget ${budget} ${unit})${value > budget ? '  OVER BUDGET' : ''}`);
  return value <= budget;
}

/** A Toolkit project of 10 modules, each with a workflow, two versions (12 tasks each), a trigger and a function: 50 files. */
function writeProject(root: string): string[] {
  const files: string[] = [];
  const write = (rel: string, text: string): void => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (/\.(Workflow|WorkflowVersion|WorkflowTrigger|Function)\.yaml$/.test(file)) files.push(file);
  };
  let config = 'environment:\n  name: dev\n  project: bench\nvariables:\n  modules:\n    ds: ds_bench\n';
  for (let m = 0; m < MODULES; m++) config += `    m${m}:\n      workflow: bench-${m}\n`;
  write('config.dev.yaml', config);
  for (let m = 0; m < MODULES; m++) {
    const dir = `modules/m${m}`;
    write(`${dir}/workflows/w.Workflow.yaml`, 'externalId: {{ workflow }}\ndataSetExternalId: {{ ds }}\n');
    for (const v of ['1', '2']) {
      let text = `workflowExternalId: {{ workflow }}\nversion: '${v}'\nworkflowDefinition:\n  tasks:\n`;
      for (let t = 0; t < 12; t++) {
        text += `    - externalId: t${t}\n      type: ${t % 2 ? 'transformation' : 'function'}\n      parameters:\n`;
        text += t % 2 ? `        transformation:\n          externalId: tr-${m}-${t}\n` : `        function:\n          externalId: fn-${m}\n          data:\n            previous: ${t > 0 ? `\${t${t - 1}.output}` : "${workflow.input.day}"}\n`;
        if (t > 0) text += `      dependsOn:\n        - externalId: t${t - 1}\n`;
      }
      write(`${dir}/workflows/v${v}.WorkflowVersion.yaml`, text);
    }
    write(`${dir}/workflows/t.WorkflowTrigger.yaml`, `externalId: {{ workflow }}-nightly\ntriggerRule:\n  triggerType: schedule\n  cronExpression: '0 2 * * *'\nworkflowExternalId: {{ workflow }}\nworkflowVersion: '2'\nauthentication:\n  clientId: \${CLIENT_ID}\n  clientSecret: \${CLIENT_SECRET}\n`);
    write(`${dir}/functions/f.Function.yaml`, `externalId: fn-${m}\nname: Function ${m}\n`);
  }
  return files;
}

describe('extension benchmark: definition files', function () {
  this.timeout(600_000);
  const harness = useTreeHarness('Definitions bench', { seed: 'demo' });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opening a Toolkit project of 50 definition files: no request, extension-host work within budget', async () => {
    const h = harness();
    const files = writeProject(path.join(testWorkspace(), 'bench-toolkit'));
    assert.equal(files.length, 50);
    // A project is on disk before it is opened: let the file watchers report the files just written.
    await new Promise((r) => setTimeout(r, 3000));
    const definitions = h.api.services.definitions;
    // What VS Code itself spends opening 50 files of the same size: the baseline to subtract.
    const plain = files.map((f, i) => {
      const copy = path.join(testWorkspace(), 'bench-plain', `${i}.txt`);
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.copyFileSync(f, copy);
      return copy;
    });
    const baseCpu = process.cpuUsage();
    for (const file of plain) await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await new Promise((r) => setTimeout(r, 500));
    const base = process.cpuUsage(baseCpu);
    const baseMs = (base.user + base.system) / 1000;
    h.sb.requests.reset();
    Object.assign(definitions.language.stats, { runs: 0, checkMs: 0 });
    Object.assign(definitions.documents.stats, { parses: 0, parseMs: 0 });
    Object.assign(definitions.catalog.stats, { indexed: 0, indexMs: 0 });
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const file of files) await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const checkable = files.filter((f) => !/\.Function\.yaml$/.test(f));
    await until(() => checkable.every((f) => definitions.language.findings(vscode.Uri.file(f)) !== undefined) && definitions.catalog.isIndexed, 'every file checked and the index built', 120_000);
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const { parses, parseMs } = definitions.documents.stats;
    const { runs, checkMs } = definitions.language.stats;
    const { indexed, indexMs } = definitions.catalog.stats;
    const workMs = parseMs + checkMs + indexMs;
    console.log(`  bench: (${parses} parses ${parseMs.toFixed(1)} ms, ${runs} checks ${checkMs.toFixed(1)} ms, ${indexed} files indexed ${indexMs.toFixed(1)} ms)`);
    const requests = h.count(undefined, /\/(functions|transformations|workflows\/versions\/list|workflows\/executions)/);
    const errors = checkable.flatMap((f) => definitions.language.findings(vscode.Uri.file(f)) ?? []).filter((x) => x.severity === 'error');
    assert.deepEqual(errors.map((e) => e.message), [], 'the bench project is sound');
    console.log(`  bench: (the extension host's CPU time meanwhile: ${cpuMs.toFixed(0)} ms, ${baseMs.toFixed(0)} ms for 50 plain files of the same size; wall time until all were checked: ${wallMs.toFixed(0)} ms)`);
    const ok = [
      report('opening 50 Toolkit definition files: requests to CDF', requests, 'requests', 0),
      report('opening 50 Toolkit definition files: extension-host CPU time of parses, checks and the workspace index', workMs, 'ms', 200),
    ];
    assert.ok(ok.every(Boolean), 'a figure is over its budget');
  });
});
