// The workflow view's engineering rules that can be checked without a browser: its stylesheet takes every
// colour and font from VS Code's theme variables, and its protocol refuses messages that do not fit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromWebview, toWebview, viewState } from '../../../src/webview/workflowView/protocol';

const root = path.join(__dirname, '../../../..');
const css = fs.readFileSync(path.join(root, 'src', 'webview', 'workflowView', 'styles.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

describe('workflow view webview', () => {
  it('takes every colour and font of its stylesheet from VS Code theme variables', () => {
    const declarations = [...css.matchAll(/([a-z-]+)\s*:\s*([^;{}]+)/g)].map((m) => [m[1], m[2].trim()] as const);
    assert.ok(declarations.length > 100);
    const colourProperty = /^(color|background|background-color|border|border-(top|right|bottom|left)|border(-[a-z]+)?-color|outline|outline-color|fill|stroke|box-shadow)$/;
    // What may stand beside theme variables in a colour declaration: lengths and keywords, no colour.
    const notAColour = /^(-?[\d.]+(px|em|%)?|none|transparent|inherit|solid|dashed|dotted|currentColor|0)$/;
    for (const [property, value] of declarations) {
      assert.doesNotMatch(value, /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?|hwb|lab|lch|oklch|color)\(/i, `${property}: ${value} names a colour`);
      if (colourProperty.test(property)) {
        const rest = value.replace(/var\((?:[^()]|\([^()]*\))*\)/g, '').split(/\s+/).filter(Boolean);
        for (const token of rest) assert.match(token, notAColour, `${property}: ${value}: "${token}" is not a theme variable`);
      }
      if (property === 'font-family') assert.match(value, /^var\(--vscode-[a-z-]+-?font-family\)$|^var\(--vscode-font-family\)$/, `${property}: ${value}`);
    }
  });

  it('loads nothing from elsewhere: no url(), no @import in its stylesheet', () => {
    assert.doesNotMatch(css, /url\(|@import/);
  });

  it('refuses a message from the webview with an unknown type, an unknown action or an extra field', () => {
    assert.ok(fromWebview.safeParse({ type: 'runAction', action: 'cancel' }).success);
    assert.ok(fromWebview.safeParse({ type: 'taskAction', action: 'showLogs', id: 'load' }).success);
    for (const bad of [
      { type: 'runAction', action: 'cancel', extra: 1 },
      { type: 'runAction', action: 'rm -rf' },
      { type: 'taskAction', action: 'showLogs' },
      { type: 'taskAction', action: 'showLogs', id: 'x'.repeat(3000) },
      { type: 'rendered', nodes: -1, ms: 3 },
      { type: 'eval' },
      'ready',
      null,
    ]) {
      assert.equal(fromWebview.safeParse(bad).success, false, JSON.stringify(bad)?.slice(0, 60));
    }
  });

  it('parses what the host sends, and a saved state names what the view showed', () => {
    const model = {
      target: { kind: 'execution', connection: 'c', executionId: 'e' },
      title: 'wf@1',
      actions: ['cancel'],
      graph: { nodes: [{ id: 'a', externalId: 'a', type: 'function', group: false, status: 'COMPLETED' }], edges: [] },
      readAt: 1,
    };
    assert.ok(toWebview.safeParse({ type: 'model', model }).success);
    assert.equal(toWebview.safeParse({ type: 'model', model: { ...model, actions: ['format-disk'] } }).success, false);
    assert.ok(viewState.safeParse({ target: { kind: 'file', uri: 'file:///w/a.WorkflowVersion.yaml' }, tab: 'timeline', groups: { fan: true } }).success);
    assert.equal(viewState.safeParse({ target: { kind: 'shell', command: 'x' } }).success, false);
  });
});
