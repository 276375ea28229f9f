// An entry bundled in memory the way `npm run build:ext` bundles it (package.json), for what it holds:
// the size benchmark and the bundle test read esbuild's report of the entry's output.
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';

export type BundleOutput = Metafile['outputs'][string];

export async function bundleOutput(root: string, entry: string): Promise<BundleOutput> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    outdir: path.join(root, 'out', 'bundle-report'),
    external: ['vscode'],
    platform: 'node',
    mainFields: ['module', 'main'],
    format: 'cjs',
    target: 'node20',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error(`esbuild reported no output for ${entry}`);
  return output;
}
