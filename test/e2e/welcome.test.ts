// First look: the CDF Workflows view in the activity bar shows its welcome content, and the About command
// from the palette answers with a notification naming the version.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, useWorkbench } from './workbench';

interface Manifest {
  version: string;
  contributes: { viewsWelcome: { view: string; contents: string }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;

describe('welcome', function () {
  const wb = useWorkbench();

  it('shows the welcome content in the CDF Workflows view', async () => {
    await wb().openViewContainer('CDF Workflows');
    const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === 'cdfWorkflows.explorer');
    assert.ok(welcome, 'package.json has no welcome content for cdfWorkflows.explorer');
    // The first line of the welcome content is plain text; later lines may be buttons or links.
    const firstLine = welcome.contents.split('\n')[0].replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
    const content = wb().viewPane('Workflows').locator('.welcome-view-content');
    await content.getByText(firstLine).waitFor({ timeout: 30_000 });
    await wb().screenshot('welcome-view');
  });

  it('runs "About CDF Data Workflows" from the palette and shows the version in a notification', async () => {
    await wb().runCommand('CDF Workflows: About CDF Data Workflows');
    const message = await wb().notification(/CDF Data Workflows .* is active/);
    assert.match(message, new RegExp(`^CDF Data Workflows ${manifest.version.replace(/\./g, '\\.')} is active \\(VS Code \\d+\\.\\d+\\.\\d+\\)\\.$`));
    assert.ok(await wb().notificationToast(/is active/).getByRole('button', { name: 'Show Log' }).isVisible());
    await wb().screenshot('about-notification');
  });
});
