#!/usr/bin/env node
// Pretest: make this machine able to run every test tier. On Debian as root, apt-get installs the system
// packages that are missing; elsewhere it names the one command to run and stops. Then it installs the test
// host (code-server) once. `--system-only` skips the test host (.ci/run calls it before `npm ci`).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { ensureHost, installedHost, hostVersion } = require('./code-server');

// chromium drives the workbench; libkrb5-dev + pkg-config build code-server's native `kerberos` module;
// ripgrep stands in for @vscode/ripgrep's GitHub download; openssl makes the throwaway certificate of the
// HTTP transport's TLS tests.
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'openssl', 'pkg-config', 'ripgrep'];
const BUILD_ONLY = new Set(['libkrb5-dev', 'pkg-config', 'ripgrep']);

function main() {
  const systemOnly = process.argv.includes('--system-only');
  let hostReady = false;
  try { hostReady = !systemOnly && !!installedHost(); } catch { /* built for another Node: reinstalled below */ }
  if (!systemPackagesReady(hostReady)) process.exit(1);
  if (systemOnly) return;
  ensureHost({ version: hostVersion() });
}

/** True when what the tests need is present (installing it with apt-get where allowed). */
function systemPackagesReady(hostReady) {
  const isDebian = fs.existsSync('/etc/debian_version') && commandExists('dpkg-query');
  if (!isDebian) return otherSystemReady(hostReady);
  const missing = missingDebianPackages(DEBIAN_PACKAGES)
    .filter((p) => !(p === 'chromium' && process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)));
  if (missing.length === 0) return true;
  if (process.getuid && process.getuid() === 0) return aptInstall(missing);
  const needed = missing.filter((p) => !(hostReady && BUILD_ONLY.has(p)));
  if (needed.length === 0) return true;
  console.error(`The tests need these Debian packages, which are missing: ${missing.join(' ')}.\n` +
    `Run this once, then run the tests again:\n\n  sudo apt-get install -y ${missing.join(' ')}\n`);
  return false;
}

function missingDebianPackages(packages) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], { encoding: 'utf8' });
  const installed = new Set(r.stdout.split('\n').filter((l) => / ii/.test(l)).map((l) => l.split(' ')[0].split(':')[0]));
  return packages.filter((p) => !installed.has(p));
}

function aptInstall(packages) {
  console.log(`setup: installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env }).status === 0;
  // A fresh image has no package lists yet: update once, then retry.
  if (install() || (spawnSync('apt-get', ['update'], { stdio: 'inherit', env }).status === 0 && install())) return true;
  console.error(`setup: apt-get could not install ${packages.join(' ')}; fix the error above, then run the tests again.`);
  return false;
}

/** Outside Debian we cannot install anything ourselves: check and name the command for this system. */
function otherSystemReady(hostReady) {
  const chromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
    .some((p) => p && fs.existsSync(p));
  const buildTools = hostReady || (commandExists('pkg-config') && commandExists('krb5-config'));
  if (chromium && buildTools) return true;
  const command = commandExists('dnf') ? 'sudo dnf install -y chromium krb5-devel pkgconf-pkg-config ripgrep'
    : commandExists('brew') ? 'brew install --cask chromium && brew install pkg-config ripgrep'
    : commandExists('pacman') ? 'sudo pacman -S --needed chromium krb5 pkgconf ripgrep'
    : 'install Chromium, the Kerberos (GSSAPI) development headers, pkg-config and ripgrep with your package manager';
  console.error(`The tests need ${[!chromium && 'Chromium', !buildTools && 'Kerberos headers and pkg-config (to build code-server)'].filter(Boolean).join(' and ')}.\n` +
    `Run this once, then run the tests again (set CHROMIUM_PATH if Chromium lands elsewhere than /usr/bin/chromium):\n\n  ${command}\n`);
  return false;
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
