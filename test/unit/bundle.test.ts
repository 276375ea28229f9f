import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { bundleOutput } from '../support/bundle';

// What the two bundles hold, built the way `npm run build:ext` builds them (package.json): the .vsix has a
// 500 KB budget, and these are the libraries that once filled most of it.
const root = path.join(__dirname, '../../..');

/** The source files that contribute bytes to the bundle of `entry` (esbuild lists tree-shaken ones too, at 0 bytes). */
async function inputsOf(entry: string): Promise<string[]> {
  const output = await bundleOutput(root, entry);
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
}

describe('bundles', function () {
  this.timeout(60_000);
  let extension: string[];
  let sandbox: string[];

  before(async () => {
    [extension, sandbox] = await Promise.all([inputsOf('src/extension.ts'), inputsOf('src/sandbox/main.ts')]);
  });

  it('extension.js holds no undici: requests go through node:http/https, which VS Code patches for proxies', () => {
    assert.deepEqual(extension.filter((f) => f.startsWith('node_modules/undici/')), []);
    assert.ok(extension.includes('src/core/http/transport.ts'));
  });

  it("both bundles hold zod/mini and zod's English locale only, not zod's classic API or other locales", () => {
    for (const inputs of [extension, sandbox]) {
      assert.ok(inputs.some((f) => f.startsWith('node_modules/zod/v4/mini/')));
      assert.deepEqual(inputs.filter((f) => f.startsWith('node_modules/zod/v4/classic/')), []);
      assert.deepEqual(inputs.filter((f) => f.startsWith('node_modules/zod/v4/locales/') && !f.endsWith('/en.js') && !f.endsWith('/index.js')), []);
    }
  });

  it('extension.js leaves the sandbox to its own bundle, loaded on first use', () => {
    assert.deepEqual(extension.filter((f) => f.startsWith('src/sandbox/')), []);
  });

  it('both bundles read cron with croner, not cron-parser and the luxon it brings (~98 KB minified in each)', () => {
    for (const inputs of [extension, sandbox]) {
      assert.ok(inputs.some((f) => f.startsWith('node_modules/croner/')));
      assert.deepEqual(inputs.filter((f) => /^node_modules\/(cron-parser|luxon)\//.test(f)), []);
    }
  });

  it('leaves undici, croner and cronstrue unloaded until first use, so activation does not pay for them', () => {
    // A fresh process, so that no other suite has loaded them already.
    const probe = `
      const loaded = () => Object.keys(require.cache).map((f) => f.split(/[\\\\/]node_modules[\\\\/]/)[1]?.split(/[\\\\/]/)[0]).filter(Boolean);
      require(process.argv[1]); require(process.argv[2]); require(process.argv[3]);
      const atLoad = [...new Set(loaded())];
      require(process.argv[3]).describeCron('30 5 * * 1-5');
      console.log(JSON.stringify({ atLoad, afterCron: [...new Set(loaded())] }));`;
    const out = path.join(root, 'out', 'src', 'core');
    const modules = ['http/cdfHttp.js', 'auth/oauthEndpoint.js', 'schedule/cron.js'].map((m) => path.join(out, m));
    const { atLoad, afterCron } = JSON.parse(execFileSync(process.execPath, ['-e', probe, ...modules], { encoding: 'utf8' })) as { atLoad: string[]; afterCron: string[] };
    for (const lib of ['undici', 'croner', 'cronstrue']) assert.ok(!atLoad.includes(lib), `${lib} loaded with the modules`);
    for (const lib of ['croner', 'cronstrue']) assert.ok(afterCron.includes(lib), `${lib} not loaded by describeCron`);
  });
});
