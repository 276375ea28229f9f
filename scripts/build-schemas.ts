// Writes dist/schemas/*.schema.json, generated from the vendored OpenAPI document (npm run build:schemas).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_FILES, generateDefinitionSchemas } from '../src/core/definition/schema/generate';

const root = path.resolve(__dirname, '..', '..');
const spec = path.join(root, 'spec', 'cognite-api-v1-workflows-sessions-functions-files.subset.json');
const out = path.join(root, 'dist', 'schemas');

const schemas = generateDefinitionSchemas(JSON.parse(fs.readFileSync(spec, 'utf8')));
fs.mkdirSync(out, { recursive: true });
for (const flavour of ['api', 'toolkit'] as const) {
  for (const kind of ['workflow', 'version', 'trigger'] as const) {
    fs.writeFileSync(path.join(out, SCHEMA_FILES[flavour][kind]), `${JSON.stringify(schemas[flavour][kind])}\n`);
  }
}
