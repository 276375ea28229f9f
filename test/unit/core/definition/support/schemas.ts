// The definition schemas, generated in memory from the vendored OpenAPI document exactly as the build does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDefinitionSchemas } from '../../../../../src/core/definition/schema/generate';
import { SchemaSet } from '../../../../../src/core/definition/schema/schemaSet';

export const REPO_ROOT = path.resolve(__dirname, '../../../../../..');
export const SPEC_FILE = path.join(REPO_ROOT, 'spec', 'cognite-api-v1-workflows-sessions-functions-files.subset.json');

let cached: SchemaSet | undefined;

export function testSchemas(): SchemaSet {
  cached ??= new SchemaSet(generateDefinitionSchemas(JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8'))));
  return cached;
}
