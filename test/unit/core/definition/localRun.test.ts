import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import {
  calledFunctions,
  deployFunctionCode,
  echoPackage,
  isFunctionConfigFile,
  LOCAL_RUN_METADATA_KEY,
  packFunctionFolder,
  readFunctionConfigs,
} from '../../../../src/core/definition/localRun';
import { InputError } from '../../../../src/core/errors';
import { type Sandbox } from '../../../../src/sandbox/index';
import { rejection } from '../support/secretScan';
import { startTestSandbox, testClient, type TestClient, useSandboxCleanup } from '../support/sandbox';

describe('core/definition local runs: function code from Toolkit folders', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let t: TestClient;
  let dir: string;
  before(async () => {
    sandbox = await startTestSandbox({ functionDeployMs: { queued: 50, deploying: 50 } });
    t = testClient(sandbox);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdf-local-run-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  useSandboxCleanup(() => ({ sandbox, t }));

  const folder = (name: string, files: Record<string, string>): string => {
    const root = path.join(dir, name);
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  };

  it('lists the functions a definition calls by literal external id, inline subworkflows included, references left out', () => {
    const tasks = [
      { externalId: 'a', type: 'function', parameters: { function: { externalId: 'fn-a' } } },
      { externalId: 'b', type: 'function', parameters: { function: { externalId: '${a.output.response.next}' } } },
      { externalId: 'c', type: 'subworkflow', parameters: { subworkflow: { tasks: [{ externalId: 'c1', type: 'function', parameters: { function: { externalId: 'fn-c' } } }] } } },
      { externalId: 'd', type: 'function', parameters: { function: { externalId: 'fn-a' } } },
      { externalId: 'e', type: 'transformation', parameters: { transformation: { externalId: 'tr' } } },
    ];
    assert.deepEqual(calledFunctions(tasks), ['fn-a', 'fn-c']);
  });

  it('reads the functions of a Toolkit .Function.yaml, templates filled, functionPath without ./', () => {
    const text = "- name: 'test3'\n  externalId: '{{ fn }}'\n  functionPath: './src/main.py'\n- externalId: plain\n";
    assert.deepEqual(readFunctionConfigs(text, new Map([['fn', 'fn_test3']])), [
      { externalId: 'fn_test3', functionPath: 'src/main.py', name: 'test3' },
      { externalId: 'plain', functionPath: 'handler.py' },
    ]);
    assert.deepEqual(readFunctionConfigs('{ not: [yaml'), []);
    assert.ok(isFunctionConfigFile('/m/functions/my.Function.yaml'));
    assert.ok(isFunctionConfigFile('first.function.yml'));
    assert.ok(!isFunctionConfigFile('my.Schedule.yaml'));
  });

  it('packs a code folder with its files at the root, skipping caches, the same bytes and hash every time', async () => {
    const root = folder('fn_pack', { 'handler.py': 'def handle(data):\n    return data\n', 'lib/util.py': 'X = 1\n', '__pycache__/handler.cpython-311.pyc': 'junk', 'requirements.txt': 'cognite-sdk\n' });
    const a = await packFunctionFolder(root, 'handler.py');
    const b = await packFunctionFolder(root, 'handler.py');
    assert.equal(a.hash, b.hash);
    assert.deepEqual(Buffer.from(a.zip), Buffer.from(b.zip));
    assert.deepEqual(Object.keys(unzipSync(a.zip)).sort(), ['handler.py', 'lib/util.py', 'requirements.txt']);
    fs.writeFileSync(path.join(root, 'lib/util.py'), 'X = 2\n');
    assert.notEqual((await packFunctionFolder(root, 'handler.py')).hash, a.hash);
    const missing = await rejection(() => packFunctionFolder(root, 'main.py'));
    assert.ok(missing instanceof InputError);
    assert.match(missing.message, /has no main\.py: add it, or set functionPath/);
  });

  it('deploys the code, reuses it while it is the same, replaces what it deployed when the code changes, and leaves other functions alone', async () => {
    const root = folder('fn_deploy', { 'handler.py': 'def handle(data):\n    return {"twice": data["n"] * 2}\n' });
    const spec = async () => ({ externalId: 'fn-local', functionPath: 'handler.py', package: await packFunctionFolder(root, 'handler.py'), source: root });
    const first = await deployFunctionCode(t.client, await spec());
    assert.equal(first.action, 'create');
    assert.equal(first.function.status, 'Ready');
    assert.equal(first.function.metadata?.[LOCAL_RUN_METADATA_KEY], (await spec()).package.hash);
    sandbox.requests.reset();
    const again = await deployFunctionCode(t.client, await spec());
    assert.equal(again.action, 'reuse');
    assert.equal(again.function.id, first.function.id);
    assert.deepEqual(sandbox.requests.list.filter((r) => !/oauth2/.test(r.path)).map((r) => `${r.method} ${r.path.replace(/^\/api\/v1\/projects\/[^/]+/, '')}`), ['POST /functions/byids']);
    fs.writeFileSync(path.join(root, 'handler.py'), 'def handle(data):\n    return {"thrice": data["n"] * 3}\n');
    const replaced = await deployFunctionCode(t.client, await spec());
    assert.equal(replaced.action, 'replace');
    assert.notEqual(replaced.function.id, first.function.id);
    const call = await t.client.functions.call(replaced.function.id, { data: { n: 2 } });
    assert.ok(call.id > 0);
    // A function someone else deployed under the id is not touched.
    const foreign = await deployFunctionCode(t.client, { externalId: 'fn-theirs', functionPath: 'handler.py', package: echoPackage(), source: 'test' }).then(async (mine) => {
      await t.client.functions.delete([{ id: mine.function.id }]);
      const file = await t.client.files.create({ name: 'theirs.zip', externalId: 'theirs.zip' }, { overwrite: true });
      await t.client.files.upload(file.uploadUrl, echoPackage().zip, { mimeType: 'application/zip' });
      await t.client.files.waitUntilUploaded(file.id);
      const theirs = await t.client.functions.create({ name: 'theirs', externalId: 'fn-theirs', fileId: file.id });
      return { theirs, result: await deployFunctionCode(t.client, { externalId: 'fn-theirs', functionPath: 'handler.py', package: echoPackage(), source: 'test' }) };
    });
    assert.equal(foreign.result.action, 'foreign');
    assert.equal(foreign.result.function.id, foreign.theirs.id);
  });

  it('says why a function did not build', async () => {
    const root = folder('fn_broken', { 'handler.py': 'print("no handle here")\n' });
    const pkg = await packFunctionFolder(root, 'handler.py');
    const error = await rejection(() => deployFunctionCode(t.client, { externalId: 'fn-broken', functionPath: 'handler.py', package: pkg, source: root }));
    assert.ok(error instanceof InputError);
    assert.match(error.message, /^Function fn-broken did not build: handler\.py must define a top-level function named handle/);
  });
});
