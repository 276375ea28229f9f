// The `yaml` library, required on first use: activation does not pay for loading it (see core/schedule/cron.ts).
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- a static path esbuild bundles; loaded on first use */
export const yamlLib = (): typeof Yaml => (loaded ??= require('yaml') as typeof Yaml);
/* eslint-enable @typescript-eslint/no-require-imports */
