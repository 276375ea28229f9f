// The command-line checker for CI, bundled as dist/cli/check-definitions.js with the definition schemas
// inside it (one file that needs only Node >= 20): `node dist/cli/check-definitions.js --help`.
import { runDefinitionCheck } from '../core/definition/cli';
import { type GeneratedSchemas, type JsonSchema } from '../core/definition/schema/generate';
import { SchemaSet } from '../core/definition/schema/schemaSet';

/* eslint-disable @typescript-eslint/no-require-imports -- JSON files written by build:schemas, bundled by esbuild */
const schemas = {
  api: {
    workflow: require('../../dist/schemas/workflow.schema.json') as JsonSchema,
    version: require('../../dist/schemas/workflow-version.schema.json') as JsonSchema,
    trigger: require('../../dist/schemas/workflow-trigger.schema.json') as JsonSchema,
  },
  toolkit: {
    workflow: require('../../dist/schemas/toolkit-workflow.schema.json') as JsonSchema,
    version: require('../../dist/schemas/toolkit-workflow-version.schema.json') as JsonSchema,
    trigger: require('../../dist/schemas/toolkit-workflow-trigger.schema.json') as JsonSchema,
  },
} satisfies GeneratedSchemas;
/* eslint-enable @typescript-eslint/no-require-imports */

runDefinitionCheck(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  schemas: new SchemaSet(schemas),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`check-definitions: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
