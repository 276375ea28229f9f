// A Cognite Toolkit project as the Toolkit's build sees it (TOOLKIT.md §1, §5): the organization folder holds
// `config.<env>.yaml` files beside `modules/`; a module is the parent of the nearest folder with a resource
// folder name (`workflows`, `functions`, ...); `variables:` in a config apply to the modules at or below the
// folder path their keys spell, the most specific level winning.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { yamlLib } from './yamlLib';
import { isPlainObject } from './types';
import { type ToolkitVariableValue } from './templates';

export interface ToolkitEnvironment {
  /** `dev` for `config.dev.yaml`. */
  readonly name: string;
  readonly configFile: string;
}

export interface ToolkitProject {
  /** The organization folder: the one holding the `config.<env>.yaml` files. */
  readonly root: string;
  /** Sorted by name; the first is the default environment. */
  readonly environments: readonly ToolkitEnvironment[];
}

/** What the project lookups read; the default reads the disk. */
export interface ToolkitFileSystem {
  /** Names of the entries of a folder; [] when it does not exist. */
  readDirectory(dir: string): Promise<string[]>;
  /** The text of a file; undefined when it does not exist. */
  readFile(file: string): Promise<string | undefined>;
}

export const nodeFileSystem: ToolkitFileSystem = {
  async readDirectory(dir) {
    try {
      return await fs.readdir(dir);
    } catch {
      return [];
    }
  },
  async readFile(file) {
    try {
      return await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Resource folder names of the Toolkit (its resource IOs' `folder_name`): they mark where a module ends. */
export const TOOLKIT_RESOURCE_FOLDERS: ReadonlySet<string> = new Set([
  '3dmodels', 'agents', 'apps', 'auth', 'cdf_applications', 'classic', 'containers', 'data_modeling', 'data_products',
  'data_sets', 'extraction_pipelines', 'files', 'functions', 'hosted_extractors', 'locations', 'migration', 'nodes',
  'raw', 'robotics', 'rulesets', 'signals', 'simulators', 'streamlit', 'streams', 'timeseries', 'transformations',
  'views', 'workflows',
]);

const CONFIG_FILE = /^config\.(.+)\.yaml$/;

/** The config files of one folder, sorted by environment name. */
export async function environmentsIn(dir: string, files: ToolkitFileSystem = nodeFileSystem): Promise<ToolkitEnvironment[]> {
  const names = await files.readDirectory(dir);
  return names
    .map((n) => CONFIG_FILE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1] ?? '', configFile: path.join(dir, m[0]) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The Toolkit project a file belongs to: the nearest folder above it with a `config.<env>.yaml`. */
export async function findToolkitProject(file: string, files: ToolkitFileSystem = nodeFileSystem): Promise<ToolkitProject | undefined> {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const environments = await environmentsIn(dir, files);
    if (environments.length > 0) return { root: dir, environments };
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The module of a file, relative to the project root with '/' separators (`modules/common/cdf_ingestion`):
 * the parent of the nearest ancestor folder that has a resource folder name. Undefined outside a module.
 */
export function moduleOf(file: string, projectRoot: string): string | undefined {
  const relative = path.relative(projectRoot, path.resolve(file));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const folders = relative.split(path.sep).slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    if (TOOLKIT_RESOURCE_FOLDERS.has(folders[i] ?? '')) return folders.slice(0, i).join('/');
  }
  return undefined;
}

export interface ToolkitConfig {
  readonly variables: Readonly<Record<string, unknown>>;
  /** A problem reading the file (not YAML, no mapping); variables are then empty. */
  readonly error?: string;
}

export function parseToolkitConfig(text: string): ToolkitConfig {
  let parsed: unknown;
  try {
    // Dates stay strings, as the Toolkit turns them into strings anyway.
    parsed = yamlLib().parse(text, { schema: 'core', prettyErrors: false });
  } catch (e) {
    return { variables: {}, error: e instanceof Error ? e.message : String(e) };
  }
  if (parsed === null || parsed === undefined) return { variables: {} };
  if (!isPlainObject(parsed)) return { variables: {}, error: 'The config file is not a mapping.' };
  const variables = parsed['variables'];
  return { variables: isPlainObject(variables) ? variables : {} };
}

/**
 * The variables a module sees, the most specific first winning: scalars and lists of scalars at the root of
 * `variables`, then under each folder of the module's path. A list of mappings under a folder builds the
 * module once per item; its first item is used here (the editor shows one build).
 */
export function variablesForModule(variables: Readonly<Record<string, unknown>>, modulePath: string | undefined): Map<string, ToolkitVariableValue> {
  const levels: Readonly<Record<string, unknown>>[] = [variables];
  let level: Readonly<Record<string, unknown>> | undefined = variables;
  for (const folder of modulePath ? modulePath.split('/') : []) {
    const next: unknown = level?.[folder];
    const resolved = Array.isArray(next) && next.length > 0 && next.every(isPlainObject) ? (next[0] as unknown) : next;
    level = isPlainObject(resolved) ? resolved : undefined;
    if (!level) break;
    levels.push(level);
  }
  const out = new Map<string, ToolkitVariableValue>();
  for (const values of levels.reverse()) {
    for (const [key, value] of Object.entries(values)) {
      if (out.has(key)) continue;
      const v = asVariableValue(value);
      if (v !== undefined) out.set(key, v);
    }
  }
  return out;
}

function asVariableValue(value: unknown): ToolkitVariableValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    return value;
  }
  return undefined;
}

/** Everything needed to substitute a file's templates in one environment. */
export interface ToolkitVariables {
  readonly project: ToolkitProject;
  readonly environment: ToolkitEnvironment;
  /** The file's module, relative to the project root ('' or undefined outside a module). */
  readonly module: string | undefined;
  readonly values: ReadonlyMap<string, ToolkitVariableValue>;
  /** Set when the config could not be read; values are then empty. */
  readonly configError?: string;
}

/**
 * The variables of `file` in `environmentName` (or the project's first environment). Undefined when the file
 * is in no Toolkit project.
 */
export async function toolkitVariablesFor(
  file: string,
  environmentName?: string,
  files: ToolkitFileSystem = nodeFileSystem,
): Promise<ToolkitVariables | undefined> {
  const project = await findToolkitProject(file, files);
  if (!project) return undefined;
  const environment = project.environments.find((e) => e.name === environmentName) ?? project.environments[0];
  if (!environment) return undefined;
  const text = await files.readFile(environment.configFile);
  const config = text === undefined ? { variables: {}, error: `${environment.configFile} could not be read.` } : parseToolkitConfig(text);
  const module = moduleOf(file, project.root);
  return {
    project,
    environment,
    module,
    values: variablesForModule(config.variables, module),
    ...(config.error ? { configError: config.error } : {}),
  };
}
