// The workflow view's page: the app's script and stylesheet from dist/webview (the only folder the webview
// may load from), under a Content-Security-Policy that allows nothing else: no remote origin, no inline
// script but the one with this load's nonce, no inline style attributes, no eval.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export const WORKFLOW_VIEW_TYPE = 'cdfWorkflows.workflowView';

/** The folder the webview may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function workflowViewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = randomBytes(18).toString('base64');
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'workflowView.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'workflowView.css'));
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escaped}</title>
</head>
<body>
<div id="app" class="workflow-view"><p class="muted">Loading ${escaped}…</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
