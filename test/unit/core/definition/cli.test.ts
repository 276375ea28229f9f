// The command-line checker: the engine in-process, and the bundled dist/cli/check-definitions.js as CI runs it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDefinitionCheck } from '../../../../src/core/definition/cli';
import { REPO_ROOT, testSchemas } from './support/schemas';

const GOOD_VERSION = `workflowExternalId: {{ wf }}
version: "1"
workflowDefinition:
  tasks:
    - externalId: fetch
      type: function
      parameters:
        function:
          externalId: fn-fetch
          data: {day: "\${workflow.input.day}"}
    - externalId: run
      type: subworkflow
      parameters:
        subworkflow: {workflowExternalId: {{ wf }}-child, version: "1"}
      dependsOn: [{externalId: fetch}]
`;
const CHILD = 'workflowExternalId: {{ wf }}-child\nversion: "1"\nworkflowDefinition:\n  tasks:\n    - {externalId: x, type: transformation, parameters: {transformation: {externalId: tr}}}\n';
const BAD_JSON = `{
  "workflowExternalId": "api",
  "version": "1",
  "workflowDefinition": {"tasks": [
    {"externalId": "a", "type": "function", "parameters": {"function": {"externalId": "f"}}, "dependsOn": [{"externalId": "nope"}]}
  ]}
}
`;

/** `line:col` (one-based) of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}
const NOPE = at(BAD_JSON, '"nope"');

describe('core/definition command-line checker', function () {
  this.timeout(30_000);
  let root: string;
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const run = async (...args: string[]): Promise<{ status: number; out: string[]; err: string[] }> => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runDefinitionCheck(args, { cwd: root, out: (l) => out.push(l), err: (l) => err.push(l), schemas: testSchemas() });
    return { status, out, err };
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-check-'));
    write('org/config.dev.yaml', 'variables:\n  modules:\n    ingest:\n      wf: nightly\n');
    write('org/config.prod.yaml', 'variables:\n  modules:\n    ingest:\n      other: 1\n');
    write('org/modules/ingest/workflows/v1.WorkflowVersion.yaml', GOOD_VERSION);
    write('org/modules/ingest/workflows/child.WorkflowVersion.yaml', CHILD);
    write('org/modules/ingest/workflows/notes.yaml', 'not: [a definition\n');
    write('api/body.json', BAD_JSON);
    write('api/package.json', '{"name": "x", "workflowExternalId": "not read"}');
    write('api/input.json', '{"day": "2024-01-01"}');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exits 0 on a clean Toolkit project, printing information lines in path:line:col: severity: message form', async () => {
    const { status, out, err } = await run('org');
    assert.equal(status, 0, out.join('\n'));
    assert.deepEqual(out, ['org/modules/ingest/workflows/v1.WorkflowVersion.yaml:10:23: info: Task "fetch" reads "day" from the workflow input: every run and trigger must pass it.']);
    assert.match(err.join('\n'), /2 definition files checked: 0 errors, 0 warnings, 1 info/);
  });

  it('exits 1 when any finding is an error, and searches folders for API JSON by content', async () => {
    const { status, out } = await run('.');
    assert.equal(status, 1);
    assert.ok(out.includes(`api/body.json:${NOPE}: error: Task "a" depends on "nope", which is not a task of this definition. Check the spelling or add that task.`), out.join('\n'));
    assert.ok(!out.some((l) => /package\.json|input\.json|notes\.yaml/.test(l)));
  });

  it('fills templates from the environment given with --env, and warns where it has no value', async () => {
    const { status, out } = await run('--env', 'prod', '--severity', 'warning', 'org/modules/ingest/workflows/v1.WorkflowVersion.yaml');
    assert.equal(status, 0);
    assert.ok(out.some((l) => /^org\/modules\/ingest\/workflows\/v1\.WorkflowVersion\.yaml:1:21: warning: \{\{ wf \}\} has no value for module modules\/ingest in config\.prod\.yaml/.test(l)), out.join('\n'));
    assert.ok(!out.some((l) => /: info: /.test(l)));
  });

  it('warns about a subworkflow version that is in none of the files of the project', async () => {
    fs.rmSync(path.join(root, 'org/modules/ingest/workflows/child.WorkflowVersion.yaml'));
    const { out } = await run('org/modules/ingest/workflows/v1.WorkflowVersion.yaml');
    const line = `org/modules/ingest/workflows/v1.WorkflowVersion.yaml:${at(GOOD_VERSION, '{{ wf }}-child')}: warning: Subworkflow version nightly-child@1 was not found in the files checked or their Toolkit project.`;
    assert.ok(out.some((l) => l.startsWith(line)), out.join('\n'));
  });

  it('exits 2 with the usage for bad arguments, a missing path or an environment the project lacks', async () => {
    assert.equal((await run()).status, 2);
    assert.equal((await run('--bogus', 'org')).status, 2);
    const missing = await run('no-such-folder');
    assert.equal(missing.status, 2);
    assert.match(missing.err.join('\n'), /no-such-folder does not exist/);
    const env = await run('--env', 'staging', 'org');
    assert.equal(env.status, 2);
    assert.match(env.err.join('\n'), /has no config\.staging\.yaml \(it has config\.dev\.yaml, config\.prod\.yaml\)/);
    const help = await run('--help');
    assert.equal(help.status, 0);
    assert.match(help.out.join('\n'), /^Usage: check-definitions/);
  });

  it('runs as the bundled dist/cli/check-definitions.js with nothing but Node, as a CI job does', () => {
    const script = path.join(REPO_ROOT, 'dist', 'cli', 'check-definitions.js');
    assert.ok(fs.existsSync(script), `${script} is missing: run npm run build`);
    const bad = spawnSync(process.execPath, [script, 'api/body.json'], { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 1, bad.stderr);
    assert.ok(bad.stdout.startsWith(`api/body.json:${NOPE}: error: Task "a" depends on "nope"`), bad.stdout);
    const good = spawnSync(process.execPath, [script, '--severity=warning', 'org'], { cwd: root, encoding: 'utf8' });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.equal(good.stdout, '');
  });
});
