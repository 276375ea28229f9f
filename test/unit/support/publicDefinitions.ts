// The real public definitions kept under test/fixtures/definitions/roundtrip (see SOURCES.md there), as
// the API items `cdf deploy` sends: `{{ variable }}` templates filled textually before parsing (each
// variable's value is its own name, which fits where ids go), the Toolkit-only keys set aside.
/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are plain parsed YAML */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const ROUNDTRIP_FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/definitions/roundtrip');

export interface PublicItem {
  /** Fixture path relative to the roundtrip folder, and the index within a list file. */
  readonly source: string;
  /** The file's text as published. */
  readonly text: string;
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
 * ending in ":") is written double-quoted, absorbing quotes around the placeholder. A variable without a
 * value gets its own name, which fits where ids go.
 */
export function fillTemplates(text: string, values: Readonly<Record<string, Scalar>> = {}): string {
  return text.replace(/(['"]?)\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}(['"]?)/g, (_whole, open: string, name: string, close: string) => {
    const value = values[name] ?? name;
    const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    if (typeof value === 'string' && (/^\d+$/.test(value) || value.endsWith(':'))) return open && open === close ? `"${value}"` : `${open}"${value}"${close}`;
    return `${open}${text}${close}`;
  });
}

/** The module's variables: its default.config.yaml, or the package's config.<env>.yaml, scalars at any depth. */
export function fixtureVariables(file: string): Record<string, Scalar> {
  const base = path.basename(file);
  const dir = path.dirname(file);
  const parts = base.split('__');
  const candidates = [`${parts.slice(0, -1).join('__')}__default.config.yaml`, `${parts[0]}__config.dev.yaml`];
  const values: Record<string, Scalar> = {};
  for (const candidate of candidates) {
    const full = path.join(dir, candidate);
    if (!fs.existsSync(full)) continue;
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key] ??= value;
        else walk(value);
      }
    };
    walk(parse(fs.readFileSync(full, 'utf8')));
  }
  return values;
}

export function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(Workflow|WorkflowVersion|WorkflowTrigger)\.(ya?ml|json)$/.test(entry.name)) out.push(full);
    }
  };
  walk(ROUNDTRIP_FIXTURES);
  return out.sort();
}

export function publicDefinitions(): PublicDefinitions {
  const result: PublicDefinitions = { workflows: [], versions: [], triggers: [] };
  for (const file of fixtureFiles()) {
    const rel = path.relative(ROUNDTRIP_FIXTURES, file);
    const text = fs.readFileSync(file, 'utf8');
    const parsed: unknown = file.endsWith('.json') ? JSON.parse(text) : parse(fillTemplates(text, fixtureVariables(file)));
    const items = Array.isArray(parsed) ? parsed : [parsed];
    items.forEach((raw: any, i) => {
      const source = items.length > 1 ? `${rel}[${i}]` : rel;
      const kind = /\.WorkflowVersion\./.test(file) ? 'versions' : /\.WorkflowTrigger\./.test(file) ? 'triggers' : 'workflows';
      const item = structuredClone(raw);
      const toolkitOnly: Record<string, unknown> = {};
      for (const key of kind === 'workflows' ? ['dataSetExternalId'] : kind === 'triggers' ? ['authentication'] : []) {
        if (key in item) {
          toolkitOnly[key] = item[key];
          delete item[key];
        }
      }
      if (kind === 'versions' && item.workflowDefinition) delete item.workflowDefinition.hash;
      result[kind].push({ source, text, item, toolkitOnly });
    });
  }
  return result;
}
