// Builds the workflow view's webview side into dist/webview/: the app (browser bundle, minified), its
// stylesheet, and the codicon font cut down to the icons the app names in src/webview/workflowView/icons.ts
// (the whole font is ~125 KB; the subset a few KB), with CSS for those icons only.
// Run by `npm run build:webview` (bundled to out/scripts first, like the schema script); --sourcemap adds maps.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

// subset-font (harfbuzz's hb-subset as wasm) has no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const subsetFont = require('subset-font') as (font: Buffer, text: string, options: { targetFormat: 'woff2' }) => Promise<Buffer>;

const root = path.resolve(__dirname, '..', '..');
const out = path.join(root, 'dist', 'webview');
const codicons = path.dirname(require.resolve('@vscode/codicons/package.json'));
const sourcemap = process.argv.includes('--sourcemap');

/** Icon names: every single-quoted name in icons.ts. */
function usedIcons(): string[] {
  const source = fs.readFileSync(path.join(root, 'src', 'webview', 'workflowView', 'icons.ts'), 'utf8');
  return [...new Set([...source.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1]))].sort();
}

/** name -> code point, from the codicon package's own stylesheet. */
function codepoints(): Map<string, number> {
  const css = fs.readFileSync(path.join(codicons, 'dist', 'codicon.css'), 'utf8');
  const map = new Map<string, number>();
  for (const m of css.matchAll(/\.codicon-([a-z0-9-]+):before\s*\{\s*content:\s*"\\([0-9a-f]+)"/g)) map.set(m[1], parseInt(m[2], 16));
  return map;
}

async function iconFont(): Promise<string> {
  const names = usedIcons();
  const points = codepoints();
  const missing = names.filter((n) => !points.has(n));
  if (missing.length) throw new Error(`icons.ts names codicons that @vscode/codicons does not have: ${missing.join(', ')}`);
  const text = names.map((n) => String.fromCodePoint(points.get(n)!)).join('');
  const font = await subsetFont(fs.readFileSync(path.join(codicons, 'dist', 'codicon.ttf')), text, { targetFormat: 'woff2' });
  fs.writeFileSync(path.join(out, 'codicon.woff2'), font);
  const rules = names.map((n) => `.codicon-${n}:before{content:"\\${points.get(n)!.toString(16)}"}`).join('\n');
  return `@font-face{font-family:codicon;font-display:block;src:url("./codicon.woff2") format("woff2")}
.codicon{font:normal normal normal 16px/1 codicon;display:inline-block;text-decoration:none;text-rendering:auto;text-align:center;-webkit-font-smoothing:antialiased;user-select:none}
${rules}
`;
}

async function main(): Promise<void> {
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

main().catch((e: unknown) => {
  console.error(`build-webview: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
