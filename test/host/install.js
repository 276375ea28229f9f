#!/usr/bin/env node
// Installs the test host (code-server CODE_SERVER_VERSION, default 4.100.3) under .vscode-test/ once, and
// prints where it is. A complete install leaves .installed.json; without it the folder is redone.
'use strict';
const { ensureHost, hostVersion } = require('./code-server');

try {
  const host = ensureHost({ version: hostVersion() });
  console.log(`test host: code-server ${host.version} (VS Code ${host.vscodeVersion}) ready in ${host.dir} (node ${host.node})`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
