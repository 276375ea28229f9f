// Builds the workflow view's webview side into dist/webview/: the app (browser bundle, minified), its
// stylesheet, and the codicon font cut down to the icons the app names in src/webview/workflowView/icons.ts
// (the whole font is ~125 KB; the subset a few KB), with CSS for those icons only.
// Usage: node scripts/build-webview.mjs [--sourcemap]
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import subsetFont from 'subset-font';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist', 'webview');
const require = createRequire(import.meta.url);
const codicons = path.dirname(require.resolve('@vscode/codicons/package.json'));
const sourcemap = process.argv.includes('--sourcemap');

/** Icon names: every single-quoted name in icons.ts. */
function usedIcons() {
  const source = fs.readFileSync(path.join(root, 'src', 'webview', 'workflowView', 'icons.ts'), 'utf8');
  return [...new Set([...source.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]))].sort();
}

/** name -> code point, from the codicon package's own stylesheet. */
function codepoints() {
  const css = fs.readFileSync(path.join(codicons, 'dist', 'codicon.css'), 'utf8');
  const map = new Map();
  for (const m of css.matchAll(/\.codicon-([a-z0-9-]+):before\s*\{\s*content:\s*"\\([0-9a-f]+)"/g)) map.set(m[1], parseInt(m[2], 16));
  return map;
}

async function iconFont() {
  const names = usedIcons();
  const points = codepoints();
  const missing = names.filter((n) => !points.has(n));
  if (missing.length) throw new Error(`icons.ts names codicons that @vscode/codicons does not have: ${missing.join(', ')}`);
  const text = names.map((n) => String.fromCodePoint(points.get(n))).join('');
  const font = await subsetFont(fs.readFileSync(path.join(codicons, 'dist', 'codicon.ttf')), text, { targetFormat: 'woff2' });
  fs.writeFileSync(path.join(out, 'codicon.woff2'), font);
  const rules = names.map((n) => `.codicon-${n}:before{content:"\\${points.get(n).toString(16)}"}`).join('\n');
  return `@font-face{font-family:codicon;font-display:block;src:url("./codicon.woff2") format("woff2")}
.codicon{font:normal normal normal 16px/1 codicon;display:inline-block;text-decoration:none;text-rendering:auto;text-align:center;-webkit-font-smoothing:antialiased;user-select:none}
${rules}
`;
}

async function main() {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const iconCss = await iconFont();
  await build({
    entryPoints: [path.join(root, 'src', 'webview', 'workflowView', 'main.ts')],
    outfile: path.join(out, 'workflowView.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: sourcemap ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const css = await build({
    entryPoints: [path.join(root, 'src', 'webview', 'workflowView', 'styles.css')],
    bundle: true,
    write: false,
    minify: true,
    logLevel: 'warning',
    outfile: path.join(out, 'workflowView.css'),
  });
  fs.writeFileSync(path.join(out, 'workflowView.css'), iconCss + css.outputFiles[0].text);
}

main().catch((e) => {
  console.error(`build-webview: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
