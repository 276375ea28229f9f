// `npm run screenshots`: after the tour, schedule and first-hour scenarios ran, copies the README's images from
// test-results/e2e into media/screenshots (PNG as Chromium wrote them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, SCREENSHOT_DIR } from './workbench';

const README_IMAGES: Record<string, string> = {
  'tour-tree-run-details.png': 'tree-run-details.png',
  'tour-execution-details.png': 'execution-details.png',
  'tour-tree-tasks.png': 'tree-tasks.png',
  'schedule-wizard-next-runs.png': 'schedule-cron.png',
  'definitions-typo-hover.png': 'definitions-typo-hover.png',
  'definitions-reference-completion.png': 'definitions-completion.png',
  'ship-deployed.png': 'definition-deploy.png',
  'ship-compare.png': 'definition-compare.png',
  'first-hour-connection-sign-in-failed.png': 'first-hour-connection-sign-in-failed.png',
  'first-hour-filter.png': 'first-hour-filter.png',
  'workflow-view-failed-light.png': 'workflow-view.png',
  'workflow-view-running-light.png': 'workflow-view-running.png',
  'workflow-view-timeline-light.png': 'workflow-view-timeline.png',
  'workflow-view-dynamic-dark.png': 'workflow-view-fanout-dark.png',
  'workflow-view-file-light.png': 'workflow-view-file.png',
  'workflow-view-compare-light.png': 'compare-executions.png',
};

const target = path.join(REPO_ROOT, 'media', 'screenshots');
for (const [from, to] of Object.entries(README_IMAGES)) {
  const source = path.join(SCREENSHOT_DIR, from);
  if (!fs.existsSync(source)) throw new Error(`${source} is missing: the scenario that takes it did not run or failed.`);
  fs.copyFileSync(source, path.join(target, to));
  console.log(`media/screenshots/${to} (${Math.round(fs.statSync(source).size / 1024)} KB)`);
}
