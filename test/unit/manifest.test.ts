import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  name: string;
  activationEvents: string[];
  contributes: { commands: { command: string; category?: string; icon?: string }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('never activates on every start-up', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });
  it('gives every command the CDF Workflows category and an icon', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'CDF Workflows', c.command);
      assert.ok(c.icon, `${c.command} has no icon`);
    }
  });
});
