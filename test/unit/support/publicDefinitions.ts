// The real public definitions of test/fixtures/definitions (sources and license in its README), as the API
// items `cdf deploy` sends: `{{ variable }}` templates filled textually before parsing from the module's
// default.config.yaml or the project's config.<env>.yaml (a variable without a value gets its own name,
// which fits where ids go), the Toolkit-only keys set aside. The Python SDK's recorded execution gives a
// version as CDF returned it.
/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are plain parsed YAML */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/definitions');
/** The version CDF returned in the Python SDK's recorded execution. */
export const SDK_EXECUTION = path.join(FIXTURES, 'cognitedata-cognite-sdk-python', 'tests', 'tests_unit', 'test_data_classes', 'data', 'workflow_execution.json');

export interface PublicItem {
  /** Fixture path relative to the fixtures folder, and the index within a list file. */
  readonly source: string;
  /** Distinct per folder of the fixtures: modules of different repositories reuse workflow and trigger ids. */
  readonly scope: string;
  readonly item: any;
  /** Toolkit-only keys (dataSetExternalId, authentication) taken out of the item. */
  readonly toolkitOnly: Record<string, unknown>;
}

export interface PublicDefinitions {
  readonly workflows: PublicItem[];
  readonly versions: PublicItem[];
  readonly triggers: PublicItem[];
}

type Scalar = string | number | boolean;

/**
 * Fills `{{ name }}` the way `cdf build` does, on the raw text before parsing: a string of digits (or one
 * ending in ":") is written double-quoted, absorbing quotes around the placeholder.
 */
export function fillTemplates(text: string, values: Readonly<Record<string, Scalar>> = {}): string {
  return text.replace(/(['"]?)\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}(['"]?)/g, (_whole, open: string, name: string, close: string) => {
    const value = values[name] ?? name;
    const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    if (typeof value === 'string' && (/^\d+$/.test(value) || value.endsWith(':'))) return open && open === close ? `"${value}"` : `${open}"${value}"${close}`;
    return `${open}${text}${close}`;
  });
}

/** Scalars at any depth of the module's default.config.yaml and of config.*.yaml files above it. */
export function fixtureVariables(file: string): Record<string, Scalar> {
  const values: Record<string, Scalar> = {};
  const collect = (config: string): void => {
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key] ??= value;
        else walk(value);
      }
    };
    walk(parse(fs.readFileSync(config, 'utf8')));
  };
  for (let dir = path.dirname(file); dir.startsWith(FIXTURES) && dir !== FIXTURES; dir = path.dirname(dir)) {
    for (const name of fs.readdirSync(dir)) if (name === 'default.config.yaml' || /^config\.[^.]+\.yaml$/.test(name)) collect(path.join(dir, name));
  }
  return values;
}

export function fixtureFiles(): string[] {
  return fs
    .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(Workflow|WorkflowVersion|WorkflowTrigger)\.ya?ml$/.test(f))
    .map((f) => path.join(FIXTURES, f))
    .sort();
}

export function publicDefinitions(): PublicDefinitions {
  const result: PublicDefinitions = { workflows: [], versions: [], triggers: [] };
  const add = (kind: keyof PublicDefinitions, source: string, scope: string, raw: any): void => {
    const item = structuredClone(raw);
    const toolkitOnly: Record<string, unknown> = {};
    for (const key of kind === 'workflows' ? ['dataSetExternalId'] : kind === 'triggers' ? ['authentication'] : []) {
      if (key in item) {
        toolkitOnly[key] = item[key];
        delete item[key];
      }
    }
    if (kind === 'versions' && item.workflowDefinition) delete item.workflowDefinition.hash;
    result[kind].push({ source, scope, item, toolkitOnly });
  };
  for (const file of fixtureFiles()) {
    const rel = path.relative(FIXTURES, file).split(path.sep).join('/');
    const scope = crypto.createHash('sha1').update(path.dirname(rel)).digest('hex').slice(0, 6);
    const parsed: unknown = parse(fillTemplates(fs.readFileSync(file, 'utf8'), fixtureVariables(file)));
    const items = Array.isArray(parsed) ? parsed : [parsed];
    const kind = /\.WorkflowVersion\./.test(file) ? 'versions' : /\.WorkflowTrigger\./.test(file) ? 'triggers' : 'workflows';
    items.forEach((raw: any, i) => add(kind, items.length > 1 ? `${rel}[${i}]` : rel, scope, raw));
  }
  const execution = JSON.parse(fs.readFileSync(SDK_EXECUTION, 'utf8'));
  add('versions', path.relative(FIXTURES, SDK_EXECUTION), 'sdk', { workflowExternalId: execution.workflowExternalId, version: execution.version, workflowDefinition: execution.workflowDefinition });
  return result;
}
